import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { gpgTarList } from './support/archive';
import { withMountedBulkVolume } from './support/bulk-volume';
import { docker } from './support/lab';

const passphrase = 'browser passphrase 2026';

test('back up ctrl-2 from its page: the download arrives, gpg decrypts it, the history shows it', async ({ page }) => {
  await page.goto('/nodes/ctrl-2');
  const form = page.getByRole('form', { name: 'Back up now' });
  await expect(form.getByLabel('Every UCP volume (14)')).toBeChecked();
  await form.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await form.getByLabel('Passphrase again').fill(passphrase);
  await form.getByLabel('Note (optional)').fill('from the browser test');
  const downloading = page.waitForEvent('download');
  await form.getByRole('button', { name: 'Back up now' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^ucp-backup-ctrl-2-\d{8}T\d{6}Z\.tar\.gpg$/);
  const file = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(file);
  expect(await download.failure()).toBeNull();

  const names = await gpgTarList(file, passphrase);
  expect(names).toContain('./ucp-client-root-ca/cert.pem');
  expect(names).toContain('./lifeboat/manifest.json');

  await expect(page).toHaveURL(/\/backups\/[a-z0-9]+$/);
  await expect(page.getByText('succeeded', { exact: true })).toBeVisible();
  await expect(page.getByText('“from the browser test”')).toBeVisible();
  await page.locator('[data-manifest-volume="ucp-kv"] summary').click();
  await expect(page.locator('[data-manifest-volume="ucp-kv"]')).toContainText('member/snap/db');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Backups' }).click();
  const row = page.locator('tr[data-backup]').first();
  await expect(row).toContainText('ctrl-2');
  await expect(row).toContainText('succeeded');
  await expect(row).toContainText(`${(fs.statSync(file).size / 1024 / 1024).toFixed(1)} MB`);
});

test('a short or mismatched passphrase is refused on the page, and nothing starts', async ({ page }) => {
  await page.goto('/backups');
  const before = await page.locator('tr[data-backup]').count();
  await page.goto('/nodes/ctrl-1');
  const form = page.getByRole('form', { name: 'Back up now' });
  await form.getByLabel('Passphrase', { exact: true }).fill('long enough passphrase');
  await form.getByLabel('Passphrase again').fill('long enough passphrasf');
  await form.getByRole('button', { name: 'Back up now' }).click();
  await expect(form.getByText('the two passphrases differ').first()).toBeVisible();
  await page.goto('/backups');
  await expect(page.locator('tr[data-backup]')).toHaveCount(before);
});

test('a worker offers its volumes, and says it needs no backup', async ({ page }) => {
  await page.goto('/nodes/worker-1');
  await expect(page.getByText('A worker is stateless')).toBeVisible();
  const form = page.getByRole('form', { name: 'Back up now' });
  await expect(form.getByLabel('Every UCP volume', { exact: false })).toHaveCount(0);
  await expect(form.getByLabel("A selection of this node's volumes")).toBeChecked();
});

test('deleting an archive keeps the history row, marked deleted', async ({ page, request }) => {
  const response = await request.post('/api/v1/backups', {
    headers: { Authorization: `Bearer ${process.env.LIFEBOAT_API_TOKEN}` },
    data: { node: 'ctrl-3', passphrase, rootCaOnly: true },
  });
  expect(response.status()).toBe(200);
  const id = response.headers()['x-backup-id'];
  await page.goto(`/backups/${id}`);
  await expect(page.getByRole('link', { name: 'Download' })).toBeVisible();
  await page.getByRole('button', { name: 'Delete archive' }).click();
  await page.getByRole('dialog', { name: 'Delete archive' }).getByRole('button', { name: 'Delete archive' }).click();
  await expect(page.getByText(/archive deleted/).first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download' })).toHaveCount(0);
  await page.goto('/backups');
  await expect(page.locator(`tr[data-backup="${id}"]`)).toContainText('archive deleted');
});

test("cancelling a running backup from its page: it ends cancelled, keeps no archive, and the node's containers run", async ({ page }) => {
  test.setTimeout(120_000);
  const node = 'worker-1';
  const [volume, user] = ['lifeboat-e2e-cancel', 'lifeboat-e2e-cancel-user'];
  await withMountedBulkVolume(node, { volume, container: user }, 384, async () => {
    const response = await fetch(`${process.env.LIFEBOAT_BASE_URL}/api/v1/backups`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${process.env.LIFEBOAT_API_TOKEN}`, 'Content-Type': 'application/json' },
      // The user's container mounts the volume: a backup that stops it, to start it again when cancelled.
      body: JSON.stringify({ node, passphrase, volumes: [volume], stopUserContainers: true }),
    });
    const id = response.headers.get('x-backup-id')!;
    response.body!.cancel().catch(() => {});

    await page.goto(`/backups/${id}`);
    await page.getByRole('button', { name: 'Cancel backup' }).click();
    await page.getByRole('dialog', { name: 'Cancel backup' }).getByRole('button', { name: 'Cancel backup' }).click();
    await expect(page.getByText('cancelled', { exact: true }).first()).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole('link', { name: 'Download' })).toHaveCount(0);
    expect((await docker(node, 'inspect', '--format', '{{.State.Running}}', user)).trim()).toBe('true');
  });
});
