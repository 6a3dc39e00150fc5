import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupThroughApi } from '@/e2e/support/api';
import { createBulkVolume, removeVolume } from '@/e2e/support/bulk-volume';
import { docker, dockerJsonLines, ucpStates } from '@/e2e/support/lab';
import { prepareDataDir, startServer, type TestServer } from '@/e2e/support/server';
import { startedAt, volumeFingerprint, volumesFingerprint } from '@/e2e/support/fingerprint';
import { until } from '@/e2e/support/until';

const run = promisify(execFile);
const passphrase = 'recovery passphrase 1';

async function api(server: TestServer, route: string, init: RequestInit = {}) {
  return fetch(`${server.url}${route}`, { ...init, headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json', ...init.headers } });
}

describe('a server killed with -9 in the middle of a backup', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-crash-'));
    await createBulkVolume('ctrl-3', 'lifeboat-crash-bulk', 400);
  });
  afterAll(async () => {
    await removeVolume('ctrl-3', 'lifeboat-crash-bulk');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is resolved at the next start: UCP runs again within 10 s and the row says interrupted', async () => {
    const token = await prepareDataDir(dataDir);
    const first = await startServer(dataDir, token);
    const response = await api(first, '/api/v1/backups', {
      method: 'POST',
      body: JSON.stringify({ node: 'ctrl-3', passphrase, volumes: ['ucp-kv', 'lifeboat-crash-bulk'] }),
    });
    const id = response.headers.get('x-backup-id')!;
    response.body!.cancel().catch(() => {});
    for (;;) {
      const record = await (await api(first, `/api/v1/backups/${id}`)).json();
      if (record.progress?.state === 'copying' && record.progress.bytesRead > 0) break;
      expect(record.running, JSON.stringify(record)).toBe(true);
    }
    first.process.kill('SIGKILL');
    await new Promise((resolve) => first.process.once('exit', resolve));
    expect((await ucpStates('ctrl-3')).some((s) => s !== 'running')).toBe(true);

    const second = await startServer(dataDir, token);
    try {
      const restartedAt = Date.now();
      while (!(await ucpStates('ctrl-3')).every((s) => s === 'running')) {
        expect(Date.now() - restartedAt).toBeLessThan(10_000);
      }
      let record;
      do record = await (await api(second, `/api/v1/backups/${id}`)).json();
      while (record.running);
      expect(record).toMatchObject({ status: 'interrupted', stored: false });
      expect(record.error).toBe('interrupted: the server stopped during the "copying" step');
      expect(fs.readdirSync(path.join(dataDir, 'archives'))).toEqual([]);
      expect(fs.readdirSync(path.join(dataDir, 'spool'))).toEqual([]);
      await expectNoHelperLeft(id);
    } finally {
      await second.stop();
    }
  });
});

describe('a server killed with -9 in the middle of a restore', () => {
  let dataDir: string;
  // A restore stops what mounts the volumes it replaces: this user's container, which must run again.
  const user = 'lifeboat-crash-user';
  const userState = async () => (await dockerJsonLines<{ State: string }>('ctrl-3', 'ps', '-a', '--filter', `name=^${user}$`))[0]?.State;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-crash-restore-'));
    await createBulkVolume('ctrl-3', 'lifeboat-crash-restore', 200);
    await docker('ctrl-3', 'rm', '-f', user).catch(() => '');
    await docker('ctrl-3', 'run', '-d', '--init', '--name', user, '--network', 'none', '-v', 'lifeboat-crash-restore:/data', 'lifeboat-lab/busybox:latest', 'sleep', '2147483647');
  });
  afterAll(async () => {
    await docker('ctrl-3', 'rm', '-f', user);
    await removeVolume('ctrl-3', 'lifeboat-crash-restore');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is resolved at the next start: the volume put back from the safety copy, what it stopped runs again, the row says interrupted', async () => {
    const token = await prepareDataDir(dataDir);
    const first = await startServer(dataDir, token);
    const backup = await api(first, '/api/v1/backups', { method: 'POST', body: JSON.stringify({ node: 'ctrl-3', passphrase, volumes: ['lifeboat-crash-restore'] }) });
    await backup.arrayBuffer();
    // A restore that would change the volume: the put-back must bring exactly this back.
    await docker('ctrl-3', 'exec', user, 'rm', '-f', '/data/part1');
    const before = await volumeFingerprint('ctrl-3', 'lifeboat-crash-restore');
    const form = new FormData();
    for (const [name, value] of Object.entries({ node: 'ctrl-3', passphrase, dryRun: 'false', backupId: backup.headers.get('x-backup-id')! })) form.set(name, value);
    fetch(`${first.url}/api/v1/restores`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form }).catch(() => {});
    let restoreId: string | undefined;
    for (;;) {
      const { restores } = await (await api(first, '/api/v1/restores')).json();
      restoreId = restores[0]?.id;
      if (restores[0]?.phase === 'writing') break;
      expect(restores[0]?.running ?? true).toBe(true);
    }
    first.process.kill('SIGKILL');
    await new Promise((resolve) => first.process.once('exit', resolve));
    expect(await userState()).not.toBe('running');

    const second = await startServer(dataDir, token);
    try {
      await until(async () => ((await userState()) === 'running' ? true : null), 'the user container running again');
      const record = await (await api(second, `/api/v1/restores/${restoreId}`)).json();
      expect(record).toMatchObject({
        status: 'interrupted',
        volumes: 'put-back',
        error: 'interrupted: the server stopped during the "writing" step; the volumes were put back as they were, from the safety copy',
      });
      expect(await volumeFingerprint('ctrl-3', 'lifeboat-crash-restore')).toBe(before);
      // A restore of a user volume touches nothing of UCP's.
      expect(record.stoppedContainers).toEqual([user]);
      expect((await ucpStates('ctrl-3')).every((s) => s === 'running')).toBe(true);
      await expectNoHelperLeft(restoreId!);
    } finally {
      await second.stop();
    }
    // A backup, a verification pass, a safety copy, a write and a put-back of the volume: minutes on a busy machine.
  }, 300_000);
});

async function expectNoHelperLeft(id: string) {
  await until(async () => ((await dockerJsonLines('ctrl-3', 'ps', '-a', '--filter', `label=com.lifeboat.helper=${id}`)).length === 0 ? true : null));
}

describe('a store without room', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-full-'));
    await run('mount', ['-t', 'tmpfs', '-o', 'size=40m', 'tmpfs', dataDir]);
  });
  afterAll(async () => {
    await run('umount', [dataDir]).catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses the backup before anything stops, saying how much room it needs', async () => {
    const token = await prepareDataDir(dataDir);
    const server = await startServer(dataDir, token);
    try {
      const before = await dockerJsonLines<{ Names: string; RunningFor: string }>('ctrl-1', 'ps', '--filter', 'name=ucp-', '--format', '{{json .}}');
      const response = await api(server, '/api/v1/backups', { method: 'POST', body: JSON.stringify({ node: 'ctrl-1', passphrase }) });
      expect(response.status).toBe(507);
      expect((await response.json()).error.message).toMatch(
        /^the archive store has \d+ MB free; this backup needs about \d+ MB \(the volumes hold \d+ MB\): free some space or delete old archives$/,
      );
      expect((await ucpStates('ctrl-1')).every((s) => s === 'running')).toBe(true);
      expect(before.length).toBeGreaterThan(0);
      const list = await (await api(server, '/api/v1/backups')).json();
      expect(list.backups).toEqual([]);
    } finally {
      await server.stop();
    }
  });

  it('refuses a restore without room to keep what it verifies, before it reads or stops anything, and changes nothing', async () => {
    const { file } = await backupThroughApi({ node: 'ctrl-2', passphrase, rootCaOnly: true });
    const token = await prepareDataDir(dataDir);
    const server = await startServer(dataDir, token);
    try {
      const [fingerprint, ucpSince] = [await volumesFingerprint('ctrl-2'), await startedAt('ctrl-2', 'ucp-kv')];
      const form = new FormData();
      for (const [name, value] of Object.entries({ node: 'ctrl-2', passphrase, dryRun: 'false', skipSafetyBackup: 'true' })) form.set(name, value);
      form.set('archive', await fs.openAsBlob(file), 'root-ca.tar.gpg');
      const response = await fetch(`${server.url}/api/v1/restores`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
      const body = await response.json();
      expect(response.status, JSON.stringify(body)).toBe(507);
      expect(body.error.message).toMatch(
        /^the archive store has \d+ MB free; this restore needs about \d+ MB to keep the verified volumes until it writes them \(no byte reaches a volume before it is authenticated\): free some space or delete old archives$/,
      );
      expect(body.status).toBe('failed');
      expect(await volumesFingerprint('ctrl-2')).toBe(fingerprint);
      expect(await startedAt('ctrl-2', 'ucp-kv')).toBe(ucpSince);
    } finally {
      await server.stop();
    }
  });
});
