import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiJson, backupThroughApi, restoreThroughApi } from '@/e2e/support/api';
import { createBulkVolume, removeVolume } from '@/e2e/support/bulk-volume';
import { volumeFingerprint } from '@/e2e/support/fingerprint';
import { docker, ucpStates } from '@/e2e/support/lab';
import { restoreIn } from '@/e2e/support/restore-faults';
import { until } from '@/e2e/support/until';

// Cancel puts the node back as it was and records the job as cancelled, whatever step it is in.

const passphrase = 'cancel passphrase 2026';
const node = 'ctrl-3';
const bulk = 'lifeboat-cancel-bulk';
const volumes = ['ucp-kv', bulk];

const base = () => process.env.LIFEBOAT_BASE_URL!;
const auth = () => ({ Authorization: `Bearer ${process.env.LIFEBOAT_API_TOKEN}` });
const cancel = (kind: 'backups' | 'restores', id: string) => fetch(`${base()}/api/v1/${kind}/${id}/cancel`, { method: 'POST', headers: auth() });
const ucpRunning = async () => (await ucpStates(node)).every((s) => s === 'running');
const fingerprints = () => Promise.all(volumes.map((v) => volumeFingerprint(node, v)));

// Each case backs up, verifies, copies, writes and puts back a bulk volume: minutes on a busy machine.
describe('cancel', { timeout: 300_000 }, () => {
  beforeAll(() => createBulkVolume(node, bulk, 192));
  afterAll(() => removeVolume(node, bulk));

  it('a backup while it copies: UCP runs again, no archive is kept, the history says cancelled', async () => {
    const response = await fetch(`${base()}/api/v1/backups`, {
      method: 'POST',
      headers: { ...auth(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ node, passphrase, volumes }),
    });
    const id = response.headers.get('x-backup-id')!;
    const download = response.arrayBuffer().catch((error: Error) => error);
    await until(async () => {
      const backup = await apiJson<{ progress: { state: string; bytesRead: number } | null }>(`/api/v1/backups/${id}`);
      return backup.progress?.state === 'copying' && backup.progress.bytesRead > 0 ? true : null;
    }, 'the backup copying');
    expect((await cancel('backups', id)).status).toBe(202);

    const ended = await until(async () => {
      const backup = await apiJson<{ running: boolean; status: string; error: string; stored: boolean }>(`/api/v1/backups/${id}`);
      return backup.running ? null : backup;
    }, 'the backup ending');
    expect(ended).toMatchObject({ status: 'cancelled', error: 'cancelled', stored: false });
    // The download ends broken, not as a file that looks whole.
    expect(await download).toBeInstanceOf(Error);
    expect(await ucpRunning()).toBe(true);
    const again = await cancel('backups', id);
    expect(again.status).toBe(409);
    expect((await again.json()).error.message).toBe(`backup ${id} has ended (cancelled): there is nothing to cancel`);
  });

  it('a restore while it writes: the safety copy is put back before anything starts, and it ends cancelled', async () => {
    const backup = await backupThroughApi({ node, passphrase, volumes });
    await docker(node, 'run', '--rm', '--network', 'none', '-v', `${bulk}:/bulk`, 'lifeboat-lab/busybox:latest', 'rm', '/bulk/part1');
    const before = await fingerprints();

    const restoring = restoreThroughApi({ node, passphrase, dryRun: 'false', backupId: backup.id });
    const running = await restoreIn(node, ['writing']);
    expect((await cancel('restores', running.id)).status).toBe(202);
    const { body } = await restoring;

    expect(body).toMatchObject({ status: 'cancelled', volumes: 'put-back' });
    expect(body.error.message).toBe('cancelled; the volumes were put back as they were, from the safety copy');
    expect(await fingerprints()).toEqual(before);
    expect(await ucpRunning()).toBe(true);
  });

  it('a restore writing without a safety copy: refused, saying why, and the restore finishes', async () => {
    const backup = await backupThroughApi({ node, passphrase, volumes: [bulk] });
    const restoring = restoreThroughApi({ node, passphrase, dryRun: 'false', backupId: backup.id, skipSafetyBackup: 'true' });
    const running = await restoreIn(node, ['writing']);
    const refused = await cancel('restores', running.id);
    expect(refused.status).toBe(409);
    expect((await refused.json()).error.message).toBe(
      'this restore is writing its volumes without a safety copy: cancelling it now would leave them half written, so it cannot be cancelled until it ends',
    );
    expect((await restoring).body).toMatchObject({ status: 'succeeded', volumes: 'restored' });
  });
});
