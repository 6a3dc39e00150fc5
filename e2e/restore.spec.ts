import { expect, test } from '@playwright/test';
import { backupThroughApi, restoreThroughApi } from './support/api';
import { createBulkVolume, removeVolume } from './support/bulk-volume';
import { docker } from './support/lab';
import { changeLastRecord, restoreIn } from './support/restore-faults';

const passphrase = 'browser restore passphrase';

test('a restore while the cluster has lost quorum asks for that consent in its own words, refuses without it, and works with it', async ({ page, request }) => {
  const response = await request.post('/api/v1/backups', {
    headers: { Authorization: `Bearer ${process.env.LIFEBOAT_API_TOKEN}` },
    data: { node: 'ctrl-2', passphrase, volumes: ['ucp-kv'] },
  });
  expect(response.status()).toBe(200);
  const backupId = response.headers()['x-backup-id'];
  await docker('ctrl-2', 'stop', 'ucp-kv');
  await docker('ctrl-3', 'stop', 'ucp-kv');
  try {
    await page.goto(`/restore?backupId=${backupId}`);
    await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(page.getByTestId('verification-report')).toContainText('Authentic and complete');

    const restore = page.getByRole('form', { name: 'Restore' });
    const consent = restore.getByLabel(/the cluster has lost quorum; restore anyway/i);
    await expect(consent).not.toBeChecked();
    await expect(restore.getByLabel(/this stops the control plane/i)).toHaveCount(0);
    await restore.getByLabel('Type ctrl-2 to confirm').fill('ctrl-2');
    await restore.getByRole('button', { name: 'Restore onto ctrl-2' }).click();
    await expect(restore.getByRole('status')).toHaveText(/^the cluster has lost quorum: 1 of 3 controllers run UCP/);

    await consent.check();
    await restore.getByRole('button', { name: 'Restore onto ctrl-2' }).click();
    await expect(page).toHaveURL(/\/restores\/[a-z0-9]+$/);
    await expect(page.getByText('succeeded', { exact: true })).toBeVisible({ timeout: 60_000 });
  } finally {
    await docker('ctrl-2', 'start', 'ucp-kv');
    await docker('ctrl-3', 'start', 'ucp-kv');
  }
});

test('a node that a failed restore left stopped needs attention on the overview and its page, until a restore recovers it', async ({ page }) => {
  test.setTimeout(180_000);
  const node = 'worker-1';
  const volume = 'lifeboat-e2e-attention';
  const user = 'lifeboat-e2e-attention-user';
  await createBulkVolume(node, volume, 128);
  try {
    const backup = await backupThroughApi({ node, passphrase, volumes: [volume] });
    await docker(node, 'run', '-d', '--init', '--name', user, '--network', 'none', '-v', `${volume}:/data`, 'lifeboat-lab/busybox:latest', 'sleep', '2147483647');

    // No safety copy, and the write pass fails: nothing can be put back, so the user's container stays stopped.
    const failing = restoreThroughApi({ node, passphrase, dryRun: 'false', backupId: backup.id, skipSafetyBackup: 'true' });
    changeLastRecord(process.env.LIFEBOAT_DATA_DIR!, (await restoreIn(node, ['writing'])).id);
    const { body } = await failing;
    expect(body).toMatchObject({ status: 'failed', volumes: 'left' });
    expect((await docker(node, 'inspect', '--format', '{{.State.Running}}', user)).trim()).toBe('false');

    await page.goto('/');
    const card = page.locator(`[data-attention="${node}"]`);
    await expect(card).toContainText('Needs attention');
    await expect(card).toContainText(`so ${user} is left stopped. To recover, restore onto ${node} again (backup ${backup.id}`);
    await page.goto(`/nodes/${node}`);
    await expect(page.getByRole('alert').filter({ hasText: 'Needs attention' })).toContainText(body.attention);
    await page.getByRole('link', { name: `Restore onto ${node}` }).click();
    await expect(page.getByLabel('Target node')).toHaveValue(node);

    // The step it names: restoring again writes the volume and starts what was left stopped.
    const again = await restoreThroughApi({ node, passphrase, dryRun: 'false', backupId: backup.id });
    expect(again.body).toMatchObject({ status: 'succeeded', volumes: 'restored' });
    expect((await docker(node, 'inspect', '--format', '{{.State.Running}}', user)).trim()).toBe('true');
    await page.goto('/');
    await expect(page.locator('[data-node="worker-1"]')).toBeVisible();
    await expect(page.locator(`[data-attention="${node}"]`)).toHaveCount(0);
  } finally {
    await docker(node, 'rm', '-f', user).catch(() => '');
    await removeVolume(node, volume);
  }
});
