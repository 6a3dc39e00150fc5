// "Succeeded" never hides a container left stopped: a backup whose user container cannot start again ends
// in amber `warning`, says so in the history and on the home page with the step to take, and turns green
// once Lifeboat gets it running again.
import { expect, test } from '@playwright/test';
import { apiFetch, apiJson } from './support/api';
import { createBulkVolume, removeVolume } from './support/bulk-volume';
import { docker } from './support/lab';

const node = 'worker-1';
const volume = 'lifeboat-e2e-warning';
const user = 'lifeboat-e2e-warning-user';
const mount = '/tmp/lifeboat-e2e-warning';
/** A command in a throwaway container that sees the engine's /tmp. */
const inEngineTmp = (script: string) => docker(node, 'run', '--rm', '-v', '/tmp:/host', 'lifeboat-lab/busybox:latest', 'sh', '-c', script);

test('a backup whose container cannot start again is a warning with its step, in the history and on the home page, until it runs', async ({ page }) => {
  test.setTimeout(180_000);
  await createBulkVolume(node, volume, 1);
  await inEngineTmp(`mkdir -p /host/${mount.slice(5)}`);
  await docker(
    node,
    'run',
    '-d',
    '--init',
    '--name',
    user,
    '--network',
    'none',
    '--mount',
    `type=bind,src=${mount},dst=/gone`,
    '-v',
    `${volume}:/data`,
    'lifeboat-lab/busybox:latest',
    'sleep',
    '2147483647',
  );
  try {
    // Its bind mount's source goes while it runs: it keeps running, but cannot start again once stopped.
    await inEngineTmp(`rm -rf /host/${mount.slice(5)}`);
    const response = await apiFetch('/api/v1/backups', {
      method: 'POST',
      body: JSON.stringify({ node, passphrase: 'warning passphrase', volumes: [volume], stopUserContainers: true }),
    });
    expect(response.status).toBe(200);
    const id = response.headers.get('x-backup-id')!;
    await response.arrayBuffer();

    await page.goto(`/backups?q=${volume}&node=${node}`);
    const row = page.locator(`tr[data-backup="${id}"]`);
    await expect(row).toContainText('warning', { timeout: 60_000 });
    await expect(row).toContainText('not started again');
    await page.goto('/');
    const hand = page.getByRole('region', { name: 'Jobs that need a hand' });
    await expect(hand.locator(`[data-warning-job="/backups/${id}"]`)).toContainText(/not started again.*Lifeboat keeps trying/);
    await page.goto(`/backups/${id}`);
    await expect(page.locator('dt:text-is("Started again") + dd')).toHaveText('not all of them: see the warning above');

    // The source back: Lifeboat's retries start the container, and the backup turns green.
    await inEngineTmp(`mkdir -p /host/${mount.slice(5)}`);
    await expect
      .poll(async () => (await apiJson<{ status: string }>(`/api/v1/backups/${id}`)).status, { timeout: 90_000, message: 'the backup to turn succeeded once its container runs' })
      .toBe('succeeded');
    expect((await docker(node, 'inspect', '--format', '{{.State.Running}}', user)).trim()).toBe('true');
    await page.goto('/');
    await expect(page.locator(`[data-warning-job="/backups/${id}"]`)).toHaveCount(0);
  } finally {
    // Whatever failed above, the container gets its source back first, so that the backup's retries end
    // with it running (and let go of worker-1) before it is removed.
    await inEngineTmp(`mkdir -p /host/${mount.slice(5)}`).catch(() => '');
    const { backups } = await apiJson<{ backups: { status: string }[] }>(`/api/v1/backups?node=${node}&q=${volume}`);
    if (backups.some((b) => b.status === 'warning')) {
      await expect
        .poll(async () => (await apiJson<{ backups: { status: string }[] }>(`/api/v1/backups?node=${node}&q=${volume}`)).backups.some((b) => b.status === 'warning'), {
          timeout: 30_000,
        })
        .toBe(false)
        .catch(() => {});
    }
    await docker(node, 'rm', '-f', user).catch(() => '');
    await removeVolume(node, volume);
    await inEngineTmp(`rm -rf /host/${mount.slice(5)}`).catch(() => '');
  }
});
