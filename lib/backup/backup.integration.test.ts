import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTree, gpgTarExtract, gpgTarList, volumeViaDockerCli } from '@/e2e/support/archive';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { apiFetch, restoreThroughApi } from '@/e2e/support/api';
import { createBulkVolume, removeVolume } from '@/e2e/support/bulk-volume';
import { gpgKeyPair } from '@/e2e/support/gpg-key';
import { startedAt } from '@/e2e/support/fingerprint';
import { createDeviceVolume, createLinksVolume } from '@/e2e/support/odd-volume';
import { docker, dockerJsonLines, lab, ucpStates } from '@/e2e/support/lab';
import { until } from '@/e2e/support/until';
import { archivePaths } from '@/lib/archive/archive-store';
import type { Manifest } from '@/lib/archive/manifest';
import { UCP_VOLUMES } from '@/lib/cluster/ucp';
import { followArchive } from '@/lib/archive/archive-follower';
import { archiveOutcome, getBackup } from '@/lib/history/backup-history';
import { getManifest } from '@/lib/history/manifest-parts';
import { liveProgress } from '@/lib/jobs/job-progress';
import { importPublicKey } from '@/lib/keys/public-keys';
import { verifyBackup } from '@/lib/restore/verify';
import { backupRequestSchema } from '@/lib/validations/backup';
import { startBackup } from './backup-run';

const passphrase = 'integration passphrase 1';
const order = (node: string, extra: Partial<Parameters<typeof startBackup>[0]> = {}) => ({ node, passphrase, requestedBy: 'tests', ...extra });

describe('a backup of ctrl-1 (every UCP volume)', () => {
  let id: string;
  let userWebStartedAt: string;
  let ucpStartedAt: string;

  beforeAll(async () => {
    userWebStartedAt = await startedAt('ctrl-1', 'user-web');
    ucpStartedAt = await startedAt('ctrl-1', 'ucp-kv');
    const started = await startBackup(order('ctrl-1', { note: 'integration' }));
    id = started.id;
    await started.done;
  });

  it('succeeds and records sizes, downtime, the archive hash and the stopped containers', async () => {
    const backup = await getBackup(id);
    expect(backup).toMatchObject({ status: 'succeeded', phase: 'encrypting', error: null, warning: null, nodeHostname: 'ctrl-1', note: 'integration', stored: true });
    expect(backup.fileName).toMatch(/^ucp-backup-ctrl-1-\d{8}T\d{6}Z\.tar\.gpg$/);
    expect(backup.downtimeMs).toBeGreaterThan(0);
    expect(backup.plainBytes).toBeGreaterThan(5 * 1024 * 1024);
    expect(backup.encryptedBytes).toBe(fs.statSync(archivePaths(id).final).size);
    expect(backup.stoppedContainers.map((c) => c.name).sort()).toEqual(
      (await dockerJsonLines<{ Names: string }>('ctrl-1', 'ps', '--filter', 'name=ucp-')).map((c) => c.Names).sort(),
    );
    expect(backup.sha256).toBe(
      (await import('node:crypto'))
        .createHash('sha256')
        .update(fs.readFileSync(archivePaths(id).final))
        .digest('hex'),
    );
  });

  it('decrypts with gpg, and tar --list shows the seed layout: ./<volume>/<path>, the manifest and the containers', async () => {
    const names = await gpgTarList(archivePaths(id).final, passphrase);
    expect(names).toContain('./ucp-client-root-ca/cert.pem');
    expect(names).toContain('./ucp-client-root-ca/key.pem');
    expect(names).toContain('./ucp-client-root-ca/config.json');
    expect(names).toContain('./ucp-cluster-root-ca/cert.pem');
    for (const volume of UCP_VOLUMES) expect(names).toContain(`./${volume}/`);
    expect(names).toContain('./lifeboat/manifest.json');
    expect(names).toContain('./lifeboat/containers/ucp-kv.json');
    expect(names.some((n) => n.startsWith('./user-data'))).toBe(false);
  });

  it("holds every file byte-identical to the volume's, with modes, owners, times and symlinks, as the docker CLI reads them", async () => {
    const extracted = await gpgTarExtract(archivePaths(id).final, passphrase);
    try {
      for (const volume of UCP_VOLUMES) {
        const viaCli = await volumeViaDockerCli('ctrl-1', volume);
        expect(describeTree(`${extracted}/${volume}`), volume).toEqual(describeTree(viaCli));
        fs.rmSync(viaCli, { recursive: true, force: true });
      }
      const kv = describeTree(`${extracted}/ucp-kv`);
      expect(kv.some((e) => e.type === 'symlink')).toBe(true);
      expect(new Set(kv.map((e) => e.uid))).toEqual(new Set([0, 1000, 65534]));
      const inspect = JSON.parse(fs.readFileSync(`${extracted}/lifeboat/containers/ucp-kv.json`, 'utf8'));
      expect(inspect.Name).toBe('/ucp-kv');
    } finally {
      fs.rmSync(extracted, { recursive: true, force: true });
    }
  });

  it('carries a manifest with the node, versions, and the SHA-256 of every file', async () => {
    const manifest = (await getManifest(id)) as Manifest;
    const nodeId = (await docker('ctrl-1', 'info', '--format', '{{.Swarm.NodeID}}')).trim();
    expect(manifest).toMatchObject({ format: 'lifeboat-ucp-backup', formatVersion: 1, node: { hostname: 'ctrl-1', swarmNodeId: nodeId }, ucpVersion: '3.2.6' });
    expect(manifest.engineVersion).toMatch(/^20\.10/);
    expect(manifest.volumes.map((v) => v.name)).toEqual([...UCP_VOLUMES].sort());
    const extracted = await gpgTarExtract(archivePaths(id).final, passphrase);
    try {
      const inArchive = JSON.parse(fs.readFileSync(`${extracted}/lifeboat/manifest.json`, 'utf8'));
      expect(inArchive).toEqual(manifest);
      const kv = manifest.volumes.find((v) => v.name === 'ucp-kv')!;
      for (const entry of kv.entries.filter((e) => e.type === 'file')) {
        const bytes = fs.readFileSync(`${extracted}/ucp-kv/${entry.path}`);
        expect(entry.sha256).toBe((await import('node:crypto')).createHash('sha256').update(bytes).digest('hex'));
      }
      expect(kv.files).toBe(kv.entries.filter((e) => e.type === 'file').length);
    } finally {
      fs.rmSync(extracted, { recursive: true, force: true });
    }
  });

  it("is ctrl-1's last good backup in /api/v1/metrics, which Prometheus's text parser reads", async () => {
    expect((await fetch(`${process.env.LIFEBOAT_BASE_URL}/api/v1/metrics`)).status).toBe(401);
    const response = await apiFetch('/api/v1/metrics');
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = new Map(parsePrometheusTextFormat(await response.text()).map((f) => [f.name, f]));
    const sample = (name: string, labels: Record<string, string>) => families.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value;
    const backup = await getBackup(id);
    expect(Number(sample('lifeboat_last_good_backup_timestamp_seconds', { node: 'ctrl-1' }))).toBe(backup.startedAt.getTime() / 1000);
    expect(Number(sample('lifeboat_last_good_backup_duration_seconds', { node: 'ctrl-1' }))).toBe((backup.finishedAt!.getTime() - backup.startedAt.getTime()) / 1000);
    expect(Number(sample('lifeboat_last_good_backup_size_bytes', { node: 'ctrl-1' }))).toBe(backup.encryptedBytes);
    expect(Number(sample('lifeboat_last_good_backup_downtime_seconds', { node: 'ctrl-1' }))).toBe(backup.downtimeMs! / 1000);
    expect(families.get('lifeboat_job_failures_total')?.type).toBe('COUNTER');
    expect(
      families
        .get('lifeboat_jobs_running')
        ?.metrics.map((m) => m.labels?.kind)
        .sort(),
    ).toEqual(['backup', 'restore', 'verify']);
  });

  it("started UCP again, and never touched the user's container", async () => {
    expect(await ucpStates('ctrl-1')).toEqual(expect.arrayContaining(['running']));
    expect((await ucpStates('ctrl-1')).every((s) => s === 'running')).toBe(true);
    expect(await startedAt('ctrl-1', 'ucp-kv')).not.toBe(ucpStartedAt);
    expect(await startedAt('ctrl-1', 'user-web')).toBe(userWebStartedAt);
  });
});

describe('backup choices', () => {
  it('encrypts to an imported public key alone: gpg opens it with the private key, and Lifeboat verifies and dry-runs it with the armored key', async () => {
    const pair = await gpgKeyPair();
    try {
      const key = await importPublicKey(pair.publicKey, 'tests');
      const started = await startBackup({ node: 'ctrl-2', rootCaOnly: true, keys: [key.fingerprint], requestedBy: 'tests' });
      await started.done;
      const backup = await getBackup(started.id);
      expect(backup).toMatchObject({ status: 'succeeded', encryptedTo: { passphrase: false, keys: [{ fingerprint: pair.fingerprint, userId: pair.userId }] } });
      const names = await gpgTarList(archivePaths(started.id).final, pair.passphrase, pair.home);
      expect(names).toContain('./ucp-client-root-ca/cert.pem');

      await expect(verifyBackup(started.id, { passphrase: 'no passphrase opens it' })).rejects.toThrow(/the passphrase is wrong/);
      await expect(verifyBackup(started.id, { privateKey: pair.privateKey, keyPassphrase: 'wrong' })).rejects.toThrow(/the private key's passphrase is wrong/);
      expect((await getBackup(started.id)).verification).toBeNull();
      const report = await verifyBackup(started.id, { privateKey: pair.privateKey, keyPassphrase: pair.passphrase });
      expect(report.volumes.map((v) => v.name).sort()).toEqual(['ucp-client-root-ca', 'ucp-cluster-root-ca']);
      expect((await getBackup(started.id)).verification?.ok).toBe(true);

      const dryRun = await restoreThroughApi({ node: 'ctrl-2', backupId: started.id, dryRun: 'true', privateKey: pair.privateKey, privateKeyPassphrase: pair.passphrase });
      expect(dryRun).toMatchObject({ status: 200, body: { status: 'succeeded', dryRun: true } });
    } finally {
      pair.remove();
    }
  });

  it('refuses keys that are not imported, and an order with neither a passphrase nor a key, before anything stops', async () => {
    await expect(startBackup({ node: 'ctrl-2', rootCaOnly: true, keys: ['AB'.repeat(20)], requestedBy: 'tests' })).rejects.toThrow(/no imported key has the fingerprint ABAB/);
    expect(() => backupRequestSchema.parse({ node: 'ctrl-2' })).toThrow(/give a passphrase, or choose a public key/);
  });

  it('backs up only the two root CA volumes with rootCaOnly, as --root-ca-only did', async () => {
    const started = await startBackup(order('ctrl-2', { rootCaOnly: true }));
    await started.done;
    const names = await gpgTarList(archivePaths(started.id).final, passphrase);
    const volumes = new Set(names.filter((n) => !n.startsWith('./lifeboat/')).map((n) => n.split('/')[1]));
    expect(volumes).toEqual(new Set(['ucp-client-root-ca', 'ucp-cluster-root-ca']));
    expect((await getBackup(started.id)).scope).toBe('root-ca');
  });

  it("leaves the users' containers running when a user volume is chosen, unless asked to stop them", async () => {
    const before = await startedAt('ctrl-2', 'user-web');
    const kept = await startBackup(order('ctrl-2', { volumes: ['user-data'] }));
    await kept.done;
    expect(await startedAt('ctrl-2', 'user-web')).toBe(before);
    expect((await getBackup(kept.id)).stoppedContainers.some((c) => c.name === 'user-web')).toBe(false);

    const stopped = await startBackup(order('ctrl-2', { volumes: ['user-data'], stopUserContainers: true }));
    await stopped.done;
    expect((await getBackup(stopped.id)).stoppedContainers.some((c) => c.name === 'user-web')).toBe(true);
    expect(await startedAt('ctrl-2', 'user-web')).not.toBe(before);
    expect((await docker('ctrl-2', 'inspect', '--format', '{{.State.Status}}', 'user-web')).trim()).toBe('running');
  });

  it('backs up volumes chosen on a worker, and nothing by default', async () => {
    await expect(startBackup(order('worker-1'))).rejects.toThrow('worker-1 is a worker: stateless, nothing to back up (choose volumes to back up anyway)');
    const started = await startBackup(order('worker-1', { volumes: ['ucp-node-certs'] }));
    await started.done;
    expect((await getBackup(started.id)).status).toBe('succeeded');
  });
});

describe('volumes holding more than files and directories', () => {
  const links = 'lifeboat-test-links';
  const devices = 'lifeboat-test-devices';
  beforeAll(() => Promise.all([createLinksVolume('ctrl-2', links), createDeviceVolume('ctrl-2', devices)]));
  afterAll(() => Promise.all([removeVolume('ctrl-2', links), removeVolume('ctrl-2', devices)]));

  it('backs up symlinks to anywhere and FIFOs as they are (targets, modes, owners), as the docker CLI reads them', async () => {
    const started = await startBackup(order('ctrl-2', { volumes: [links] }));
    await started.done;
    const backup = await getBackup(started.id);
    expect(backup.status, backup.error ?? '').toBe('succeeded');
    const extracted = await gpgTarExtract(archivePaths(started.id).final, passphrase);
    try {
      const viaCli = await volumeViaDockerCli('ctrl-2', links);
      const tree = describeTree(`${extracted}/${links}`);
      expect(tree).toEqual(describeTree(viaCli));
      fs.rmSync(viaCli, { recursive: true, force: true });
      expect(tree).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: 'abs', type: 'symlink', link: '/etc/hostname', uid: 1000, gid: 1000 }),
          expect.objectContaining({ path: 'esc', type: 'symlink', link: '../../x' }),
          expect.objectContaining({ path: 'dangling', type: 'symlink', link: 'nowhere' }),
          expect.objectContaining({ path: 'dir/up', type: 'symlink', link: '../..' }),
          expect.objectContaining({ path: 'pipe', type: 'fifo', mode: 0o640, uid: 1000, gid: 1001 }),
          expect.objectContaining({ path: 'dir/pipe', type: 'fifo', mode: 0o600 }),
        ]),
      );
    } finally {
      fs.rmSync(extracted, { recursive: true, force: true });
    }
    const { entries } = ((await getManifest(started.id)) as Manifest).volumes[0];
    expect(entries).toContainEqual(expect.objectContaining({ path: 'abs', type: 'symlink', linkname: '/etc/hostname', uid: 1000, gid: 1000 }));
    expect(entries).toContainEqual(expect.objectContaining({ path: 'pipe', type: 'fifo', mode: 0o640, uid: 1000, gid: 1001 }));
  });

  it('refuses a volume holding a device node before anything stops, naming the volume and the path', async () => {
    const ucpContainerNames = (await dockerJsonLines<{ Names: string }>('ctrl-2', 'ps', '--filter', 'name=ucp-')).map((c) => c.Names);
    const ucpStarted = () => docker('ctrl-2', 'inspect', '--format', '{{.Name}} {{.State.Status}} {{.State.StartedAt}}', ...ucpContainerNames);
    const before = await ucpStarted();
    const started = await startBackup(order('ctrl-2', { volumes: ['ucp-kv', devices] }));
    await started.done;
    expect(await getBackup(started.id)).toMatchObject({
      status: 'failed',
      phase: 'checking',
      downtimeMs: null,
      stored: false,
      error: `cannot back up ${devices}: ${devices}/dev/null-again is a device node, which Lifeboat neither backs up nor restores; nothing was stopped`,
    });
    expect(await ucpStarted()).toBe(before);
    expect(await docker('ctrl-2', 'ps', '-aq', '--filter', `label=com.lifeboat.helper=${started.id}`)).toBe('');
    expect(fs.existsSync(archivePaths(started.id).part)).toBe(false);
  });
});

describe('bad backup requests change nothing', () => {
  it.each([
    ['an unknown node', order('ctrl-9'), 'no node "ctrl-9" in the cluster'],
    ['a volume the node does not have', order('ctrl-1', { volumes: ['no-such-volume'] }), 'ctrl-1 has no volume no-such-volume'],
  ])('refuses %s', async (_label, request, message) => {
    const before = await ucpStates('ctrl-1');
    await expect(startBackup(request)).rejects.toThrow(message);
    expect(await ucpStates('ctrl-1')).toEqual(before);
  });

  it('refuses a node whose engine does not answer', async () => {
    await lab('pause', 'ctrl-2');
    try {
      await expect(startBackup(order('ctrl-2'))).rejects.toThrow(/^ctrl-2 does not answer: ctrl-2: \w[\w ]*: did not answer within \d+ ms$/);
    } finally {
      await lab('resume', 'ctrl-2');
    }
    expect((await ucpStates('ctrl-2')).every((s) => s === 'running')).toBe(true);
  });
});

describe('backups that run into each other', () => {
  let bulkReady: Promise<void>;
  beforeAll(() => {
    bulkReady = createBulkVolume('ctrl-3', 'lifeboat-test-bulk', 400);
  });
  afterAll(() => removeVolume('ctrl-3', 'lifeboat-test-bulk'));

  it('refuses a second backup of a node that is being backed up', async () => {
    await bulkReady;
    const first = await startBackup(order('ctrl-3', { volumes: ['ucp-kv', 'lifeboat-test-bulk'] }));
    try {
      await expect(startBackup(order('ctrl-3'))).rejects.toThrow(`ctrl-3 is already being backed up (${first.id})`);
    } finally {
      await first.done;
    }
  });

  it('lets only one of two controller backups that start at the same moment through (3 controllers tolerate 1 down)', async () => {
    await bulkReady;
    const results = await Promise.allSettled([startBackup(order('ctrl-3', { volumes: ['ucp-kv', 'lifeboat-test-bulk'] })), startBackup(order('ctrl-1'))]);
    const [accepted, refused] = [results.filter((r) => r.status === 'fulfilled'), results.filter((r) => r.status === 'rejected')];
    expect(accepted).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(String((refused[0] as PromiseRejectedResult).reason.message)).toMatch(/^refused: 3 controllers tolerate 1 down, and ctrl-\d \(being backed up or restored\) already is/);
    await (accepted[0] as PromiseFulfilledResult<{ done: Promise<void> }>).value.done;
  });

  it('fails cleanly when the engine dies in the middle: a failed row, no archive, UCP back once the engine is', async () => {
    await bulkReady;
    const started = await startBackup(order('ctrl-3', { volumes: ['ucp-kv', 'lifeboat-test-bulk'] }));
    const follower = followArchive(archivePaths(started.id), () => archiveOutcome(started.id));
    const download = new Promise<string>((resolve) => {
      follower.resume();
      follower.on('end', () => resolve('ended as if whole'));
      follower.on('error', (error: Error) => resolve(`failed: ${error.message}`));
    });
    await until(async () => ((await liveProgress(started.id))?.volume === 'lifeboat-test-bulk' ? true : null));
    await lab('kill', 'ctrl-3');
    try {
      await started.done;
      const backup = await getBackup(started.id);
      expect(backup.status).toBe('failed');
      expect(backup.error).toMatch(/^ctrl-3: reading volume lifeboat-test-bulk: /);
      expect(backup.stored).toBe(false);
      expect(fs.existsSync(archivePaths(started.id).final)).toBe(false);
      expect(fs.existsSync(archivePaths(started.id).part)).toBe(false);
      expect(await download).toMatch(/^failed: the backup failed: ctrl-3: reading volume lifeboat-test-bulk: /);
    } finally {
      await lab('start', 'ctrl-3');
    }
    await until(async () => ((await getBackup(started.id)).containersStartedAt ? true : null));
    expect((await ucpStates('ctrl-3')).every((s) => s === 'running')).toBe(true);
  });
});
