// The rules a job follows when the cluster is broken, and what it stops, against the lab and through the
// test server's API, as an operator's script would drive it.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiJson, backupThroughApi, restoreThroughApi } from '@/e2e/support/api';
import { describeTree, gpgTarExtract, volumeViaDockerCli } from '@/e2e/support/archive';
import { startedAt, startTimes, volumesFingerprint } from '@/e2e/support/fingerprint';
import { docker, dockerJsonLines, lab } from '@/e2e/support/lab';

const passphrase = 'disaster-time rules passphrase';
const NODE = 'ctrl-2';

describe('disaster-time rules', () => {
  let backup: { id: string; file: string };
  let extracted: string;
  beforeAll(async () => {
    backup = await backupThroughApi({ node: NODE, passphrase, volumes: ['ucp-kv', 'ucp-client-root-ca'] });
    extracted = await gpgTarExtract(backup.file, passphrase);
  });
  afterAll(() => fs.rmSync(extracted, { recursive: true, force: true }));

  it('verification while a controller is down: it works and stops nothing', async () => {
    const before = await startTimes(NODE);
    await lab('pause', 'ctrl-3');
    try {
      const { status, body } = await restoreThroughApi({ node: NODE, passphrase, dryRun: 'true', backupId: backup.id });
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body).toMatchObject({ status: 'succeeded', dryRun: true, error: null, downtimeMs: null });
    } finally {
      await lab('resume', 'ctrl-3');
    }
    expect(await startTimes(NODE)).toEqual(before);
  });

  it("a restore onto ctrl-2 while ctrl-2's and ctrl-3's UCP is broken: refused without the lost-quorum consent (the outage consent is not it), done with it", async () => {
    await docker(NODE, 'stop', 'ucp-kv');
    await docker('ctrl-3', 'stop', 'ucp-kv');
    try {
      const cluster = await apiJson<{ controllers: number; controllersDown: number }>('/api/v1/nodes');
      expect(cluster).toMatchObject({ controllers: 3, controllersDown: 2 });

      // The verification says which consent the restore needs, in its words.
      const verified = await restoreThroughApi({ node: NODE, passphrase, dryRun: 'true', backupId: backup.id });
      expect(verified.body.report.target.consent).toMatchObject({ field: 'confirmLostQuorum', words: 'the cluster has lost quorum; restore anyway' });

      const fingerprint = await volumesFingerprint(NODE);
      const refused = await restoreThroughApi({ node: NODE, passphrase, dryRun: 'false', backupId: backup.id, confirmOutage: 'true', skipSafetyBackup: 'true' });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toBe(
        'the cluster has lost quorum: 1 of 3 controllers run UCP (ctrl-2 (down), ctrl-3 (down)). Confirm "the cluster has lost quorum; restore anyway" to act on ctrl-2 now.',
      );
      expect(await volumesFingerprint(NODE)).toBe(fingerprint);

      await docker(NODE, 'run', '--rm', '--network', 'none', '-v', 'ucp-kv:/v', 'lifeboat-lab/busybox:latest', 'sh', '-c', 'echo stray > /v/stray.txt');
      const done = await restoreThroughApi({ node: NODE, passphrase, dryRun: 'false', backupId: backup.id, confirmLostQuorum: 'true', skipSafetyBackup: 'true' });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body).toMatchObject({ status: 'succeeded', error: null });
      // What was down stays out of it: only what ran was stopped, and started again.
      expect(done.body.stoppedContainers).toContain('ucp-controller');
      expect(done.body.stoppedContainers).not.toContain('ucp-kv');
      for (const volume of ['ucp-kv', 'ucp-client-root-ca']) {
        const viaCli = await volumeViaDockerCli(NODE, volume);
        expect(describeTree(viaCli), volume).toEqual(describeTree(`${extracted}/${volume}`));
        fs.rmSync(viaCli, { recursive: true, force: true });
      }
      const states = await dockerJsonLines<{ Names: string; State: string }>(NODE, 'ps', '-a', '--filter', 'name=ucp-');
      expect(states.filter((c) => c.Names !== 'ucp-kv').every((c) => c.State === 'running')).toBe(true);
    } finally {
      await docker(NODE, 'start', 'ucp-kv');
      await docker('ctrl-3', 'start', 'ucp-kv');
    }
  });
});

describe('what a job stops', () => {
  const impostor = 'ucp-impostor';
  beforeAll(async () => {
    await docker(NODE, 'rm', '-f', impostor).catch(() => '');
    // A user's container dressed as UCP's: its name has UCP's prefix, its labels are UCP's, it mounts a UCP volume.
    await docker(
      NODE,
      'run',
      '-d',
      '--name',
      impostor,
      '--network',
      'none',
      '--label',
      'com.docker.ucp.version=3.2.6',
      '--label',
      'com.docker.ucp.InstanceID=impostor',
      '-v',
      'ucp-kv:/kv:ro',
      'lifeboat-lab/busybox:latest',
      'sleep',
      '2147483647',
    );
  });
  afterAll(() => docker(NODE, 'rm', '-f', impostor));

  it('a backup of a user volume on a controller: nothing stopped, nothing restarted, no downtime', async () => {
    const before = await startTimes(NODE);
    const { id } = await backupThroughApi({ node: NODE, passphrase, volumes: ['user-data'] });
    const record = await apiJson<{ status: string; downtimeMs: number | null; stoppedContainers: string[] }>(`/api/v1/backups/${id}`);
    expect(record).toMatchObject({ status: 'succeeded', downtimeMs: null, stoppedContainers: [] });
    expect(await startTimes(NODE)).toEqual(before);
  });

  it("a user's container with a ucp- name and UCP's labels: never stopped, never listed as UCP's", async () => {
    const since = await startedAt(NODE, impostor);
    const { id } = await backupThroughApi({ node: NODE, passphrase, volumes: ['ucp-kv'] });
    const record = await apiJson<{ status: string; stoppedContainers: string[] }>(`/api/v1/backups/${id}`);
    expect(record.status).toBe('succeeded');
    expect(record.stoppedContainers).toContain('ucp-kv');
    expect(record.stoppedContainers).not.toContain(impostor);
    expect(await startedAt(NODE, impostor)).toBe(since);
    const { nodes } = await apiJson<{ nodes: { hostname: string; ucpContainers: { name: string }[] }[] }>('/api/v1/nodes');
    const listed = nodes.find((n) => n.hostname === NODE)!.ucpContainers.map((c) => c.name);
    expect(listed).toContain('ucp-kv');
    expect(listed).not.toContain(impostor);
  });
});
