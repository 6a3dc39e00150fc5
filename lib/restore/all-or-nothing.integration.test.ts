import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiJson, backupThroughApi, restoreThroughApi } from '@/e2e/support/api';
import { createBulkVolume, removeVolume } from '@/e2e/support/bulk-volume';
import { volumeFingerprint } from '@/e2e/support/fingerprint';
import { docker, lab, shInVolumes, ucpStates } from '@/e2e/support/lab';
import { changeLastRecord, restoreIn, type RestoreJson } from '@/e2e/support/restore-faults';
import { prepareDataDir, startServer } from '@/e2e/support/server';
import { until } from '@/e2e/support/until';

// A restore makes the volumes exactly the backup's, or leaves them exactly as they were: each case breaks
// something real in the middle of the write pass and compares every volume involved, byte for byte.

const passphrase = 'all or nothing 2026';
const node = 'ctrl-2';
const bulk = 'lifeboat-aon-bulk';
const volumes = ['ucp-kv', 'ucp-node-certs', bulk];

async function fingerprints() {
  const present = (await docker(node, 'volume', 'ls', '-q')).split('\n');
  return Promise.all(volumes.map(async (v) => (present.includes(v) ? volumeFingerprint(node, v) : `${v}: absent`)));
}

const ucpRunning = async () => (await ucpStates(node)).every((s) => s === 'running');

/** Changes the volumes after the backup, so that a restore that finished would change them back. */
async function changeVolumes() {
  await shInVolumes(node, { 'ucp-kv': '/kv', [bulk]: '/bulk' }, 'echo changed > /kv/after-backup && rm -f /bulk/part1');
}

// Each case backs up, verifies, copies, writes and puts back a bulk volume: minutes on a busy machine.
describe('a restore that fails in the middle of writing', { timeout: 300_000 }, () => {
  let backup: { id: string; file: string };
  beforeAll(async () => {
    await createBulkVolume(node, bulk, 192);
    backup = await backupThroughApi({ node, passphrase, volumes });
  });
  afterAll(async () => {
    await removeVolume(node, bulk);
    await docker(node, 'run', '--rm', '--network', 'none', '-v', 'ucp-kv:/kv', 'lifeboat-lab/busybox:latest', 'rm', '-f', '/kv/after-backup');
  });

  it('a spool record changed on disk: the volumes exactly as before (one it created removed again), UCP running, the history says so', async () => {
    await changeVolumes();
    await removeVolume(node, bulk);
    const before = await fingerprints();
    expect(before[2]).toBe(`${bulk}: absent`);

    const restoring = restoreThroughApi({ node, passphrase, dryRun: 'false', backupId: backup.id });
    const running = await restoreIn(node, ['copying', 'writing']);
    changeLastRecord(process.env.LIFEBOAT_DATA_DIR!, running.id);
    const { status, body } = await restoring;

    expect(status).toBe(500);
    expect(body).toMatchObject({ status: 'failed', volumes: 'put-back', attention: null });
    expect(body.error.message).toBe('a spool file was changed on disk while the job ran; the volumes were put back as they were, from the safety copy');
    expect(await fingerprints()).toEqual(before);
    expect(await ucpRunning()).toBe(true);
  });

  it('the engine killed mid-write: nothing starts until the volumes are put back, then all is as before once it is back', async () => {
    await createBulkVolume(node, bulk, 192);
    await changeVolumes();
    const before = await fingerprints();

    const restoring = restoreThroughApi({ node, passphrase, dryRun: 'false', backupId: backup.id });
    const running = await restoreIn(node, ['writing']);
    await lab('kill', node);
    try {
      const { body } = await restoring;
      expect(body).toMatchObject({ status: 'failed', volumes: 'writing' });
      expect(body.error.message).toMatch(/; the volumes are put back from the safety copy before anything starts: Lifeboat keeps trying while the engine does not answer$/);
      expect(await ucpStates(node).catch(() => 'no engine')).toBe('no engine');
    } finally {
      await lab('start', node);
    }
    const settled = await until(async () => {
      const restore = await apiJson<RestoreJson>(`/api/v1/restores/${running.id}`);
      return restore.volumes === 'put-back' && (await ucpRunning()) ? restore : null;
    }, 'the volumes put back and UCP running');
    expect(settled.status).toBe('failed');
    expect(await fingerprints()).toEqual(before);
  });

  it('the server killed with -9 mid-write: the next start puts the safety copy back before it starts anything', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-aon-'));
    try {
      await changeVolumes();
      const before = await fingerprints();
      const token = await prepareDataDir(dataDir);
      const first = await startServer(dataDir, token);
      const api = (route: string) => fetch(`${first.url}${route}`, { headers: { Authorization: `Bearer ${token}` } });
      // The archive comes from the test server's store, uploaded to this one.
      const form = new FormData();
      for (const [name, value] of Object.entries({ node, passphrase, dryRun: 'false' })) form.set(name, value);
      form.set('archive', await fs.openAsBlob(backup.file), 'backup.tar.gpg');
      fetch(`${first.url}/api/v1/restores`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form }).catch(() => {});
      const running = await restoreIn(node, ['writing'], async () => (await (await api('/api/v1/restores')).json()).restores);
      first.process.kill('SIGKILL');
      await new Promise((resolve) => first.process.once('exit', resolve));
      expect(await ucpRunning()).toBe(false);

      const second = await startServer(dataDir, token);
      try {
        const settled = await until(async () => {
          const restore = (await (await fetch(`${second.url}/api/v1/restores/${running.id}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as RestoreJson;
          return restore.volumes === 'put-back' && (await ucpRunning()) ? restore : null;
        }, 'the volumes put back and UCP running');
        expect(settled.status).toBe('interrupted');
        expect(settled.error).toBe('interrupted: the server stopped during the "writing" step; the volumes were put back as they were, from the safety copy');
        expect(await fingerprints()).toEqual(before);
      } finally {
        await second.stop();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('no safety copy (skipped) and a failed write: UCP left stopped, the node needs attention, and restoring again recovers it', async () => {
    await changeVolumes();
    const restoring = restoreThroughApi({ node, passphrase, dryRun: 'false', backupId: backup.id, skipSafetyBackup: 'true' });
    const running = await restoreIn(node, ['writing']);
    changeLastRecord(process.env.LIFEBOAT_DATA_DIR!, running.id);
    const { body } = await restoring;
    expect(body).toMatchObject({ status: 'failed', volumes: 'left' });
    expect(body.attention).toMatch(
      new RegExp(
        `^restore ${body.id} stopped while writing the volumes of ctrl-2, and its safety copy was skipped: the volumes are partly written, so .* are left stopped\\. To recover, restore onto ctrl-2 again \\(backup ${backup.id}, or another backup of these volumes\\)`,
      ),
    );
    expect(await ucpRunning()).toBe(false);
    const { nodes } = await apiJson<{ nodes: { hostname: string; attention: string | null }[] }>('/api/v1/nodes');
    expect(nodes.find((n) => n.hostname === node)?.attention).toBe(body.attention);

    // The step it names: the same backup again. It starts what the failed one left stopped.
    const again = await restoreThroughApi({ node, passphrase, dryRun: 'false', backupId: backup.id });
    expect(again.body).toMatchObject({ status: 'succeeded', volumes: 'restored' });
    expect(await ucpRunning()).toBe(true);
    const after = await apiJson<{ nodes: { hostname: string; attention: string | null }[] }>('/api/v1/nodes');
    expect(after.nodes.find((n) => n.hostname === node)?.attention).toBeNull();
  });
});
