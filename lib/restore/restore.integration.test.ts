import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiJson, backupThroughApi, restoreThroughApi } from '@/e2e/support/api';
import { describeTree, gpgTarExtract, tempDir, volumeViaDockerCli } from '@/e2e/support/archive';
import { craftTar, gpgDecrypt, gpgEncrypt, manifestFor, type CraftedEntry } from '@/e2e/support/crafted-archive';
import { removeVolume } from '@/e2e/support/bulk-volume';
import { startedAt, volumeFingerprint, volumesFingerprint } from '@/e2e/support/fingerprint';
import { createLinksVolume } from '@/e2e/support/odd-volume';
import { docker, dockerJsonLines, lab } from '@/e2e/support/lab';

// Restores run in the test server (they are its jobs); these tests drive its API like a script would.

const passphrase = 'restore passphrase 2026';

async function ucpRunning(node: string) {
  return (await dockerJsonLines<{ State: string }>(node, 'ps', '-a', '--filter', 'name=ucp-')).every((c) => c.State === 'running');
}

async function expectVolumeToBe(node: string, volume: string, extracted: string) {
  const viaCli = await volumeViaDockerCli(node, volume);
  expect(describeTree(viaCli), `${node}:${volume}`).toEqual(describeTree(`${extracted}/${volume}`));
  fs.rmSync(viaCli, { recursive: true, force: true });
}

describe('restoring ctrl-1 from its backup', () => {
  let backup: { id: string; file: string };
  let extracted: string;
  beforeAll(async () => {
    backup = await backupThroughApi({ node: 'ctrl-1', passphrase });
    extracted = await gpgTarExtract(backup.file, passphrase);
  });
  afterAll(() => fs.rmSync(extracted, { recursive: true, force: true }));

  it('makes ucp-kv byte-identical to the backup again: deleted files back, the stray file gone', async () => {
    await docker(
      'ctrl-1',
      'run',
      '--rm',
      '--network',
      'none',
      '-v',
      'ucp-kv:/v',
      'lifeboat-lab/busybox:latest',
      'sh',
      '-c',
      'rm /v/member/snap/db /v/etcd.conf.yml && echo stray > /v/stray.txt',
    );
    const userWeb = await startedAt('ctrl-1', 'user-web');
    const { status, body } = await restoreThroughApi({ node: 'ctrl-1', passphrase, dryRun: 'false', backupId: backup.id });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ status: 'succeeded', dryRun: false, target: { hostname: 'ctrl-1' }, error: null });
    expect(body.downtimeMs).toBeGreaterThan(0);
    expect(body.stoppedContainers).toContain('ucp-kv');
    expect(body.stoppedContainers).not.toContain('user-web');
    for (const volume of ['ucp-kv', 'ucp-client-root-ca', 'ucp-node-certs']) await expectVolumeToBe('ctrl-1', volume, extracted);
    expect(await ucpRunning('ctrl-1')).toBe(true);
    expect(await startedAt('ctrl-1', 'user-web')).toBe(userWeb);

    // The automatic backup taken first holds what the restore replaced: restoring it undoes the restore.
    const safety = await apiJson<{ kind: string; status: string; note: string; volumes: string[]; manifest: { volumes: { name: string; files: number }[] } }>(
      `/api/v1/backups/${body.safetyBackupId}`,
    );
    expect(safety).toMatchObject({ kind: 'pre-restore', status: 'succeeded', note: `before restore ${body.id}` });
    // Its manifest, written while the restore packed it, is now the safety backup's.
    expect(safety.manifest.volumes.map((v) => v.name).sort()).toEqual([...safety.volumes].sort());
    expect(safety.manifest.volumes.find((v) => v.name === 'ucp-kv')!.files).toBeGreaterThan(0);
    const undo = await restoreThroughApi({ node: 'ctrl-1', passphrase, dryRun: 'false', backupId: body.safetyBackupId, skipSafetyBackup: 'true' });
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    const after = await docker('ctrl-1', 'run', '--rm', '-v', 'ucp-kv:/v:ro', 'lifeboat-lab/busybox:latest', 'sh', '-c', 'cat /v/stray.txt; ls /v/member/snap');
    expect(after).toContain('stray');
    expect(after).not.toMatch(/\bdb\b/);

    const again = await restoreThroughApi({ node: 'ctrl-1', passphrase, dryRun: 'false', backupId: backup.id, skipSafetyBackup: 'true' });
    expect(again.body.status).toBe('succeeded');
    await expectVolumeToBe('ctrl-1', 'ucp-kv', extracted);
  });

  it('verifies without changing anything, and says what a restore would do', async () => {
    const before = await volumesFingerprint('ctrl-1');
    const { status, body } = await restoreThroughApi({ node: 'ctrl-1', passphrase, dryRun: 'true', backupId: backup.id });
    expect(status).toBe(200);
    expect(body.report).toMatchObject({ ok: true, source: { hostname: 'ctrl-1', ucpVersion: '3.2.6', formatVersion: 1 }, target: { hostname: 'ctrl-1' } });
    expect(body.report.target.volumes).toContainEqual({ name: 'ucp-kv', action: 'replace' });
    expect(body.report.volumes.find((v: { name: string }) => v.name === 'ucp-kv').files).toBe(8);
    expect(await volumesFingerprint('ctrl-1')).toBe(before);
  });

  it('verifies an uploaded archive the same way, streamed as the last multipart part', async () => {
    const { status, body } = await restoreThroughApi({ node: 'ctrl-1', passphrase, dryRun: 'true' }, backup.file);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ status: 'succeeded', source: { kind: 'upload', upload: 'backup.tar.gpg' } });
  });

  it("stores a history row's verification on the row", async () => {
    const report = await apiJson(`/api/v1/backups/${backup.id}/verify`, { method: 'POST', body: JSON.stringify({ passphrase }) });
    expect(report).toMatchObject({ ok: true, source: { hostname: 'ctrl-1' } });
    const wrong = await fetch(`${process.env.LIFEBOAT_BASE_URL}/api/v1/backups/${backup.id}/verify`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${process.env.LIFEBOAT_API_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ passphrase: 'not the passphrase' }),
    });
    expect(wrong.status).toBe(400);
  });
});

describe("restoring ctrl-1's backup onto ctrl-3 (a replacement controller)", () => {
  it("gives ctrl-3 ctrl-1's volumes, says whose node certificates they are, and the safety backup undoes it", async () => {
    const backup = await backupThroughApi({ node: 'ctrl-1', passphrase });
    const before = await volumesFingerprint('ctrl-3');
    const dry = await restoreThroughApi({ node: 'ctrl-3', passphrase, dryRun: 'true', backupId: backup.id });
    expect(dry.body.report.target.notes[0]).toMatch(/^the backup comes from ctrl-1: node-specific certificates/);

    const { status, body } = await restoreThroughApi({ node: 'ctrl-3', passphrase, dryRun: 'false', backupId: backup.id });
    expect(status, JSON.stringify(body)).toBe(200);
    const extracted = await gpgTarExtract(backup.file, passphrase);
    try {
      for (const volume of ['ucp-kv', 'ucp-node-certs', 'ucp-controller-server-certs']) await expectVolumeToBe('ctrl-3', volume, extracted);
    } finally {
      fs.rmSync(extracted, { recursive: true, force: true });
    }
    expect(await ucpRunning('ctrl-3')).toBe(true);

    const undo = await restoreThroughApi({ node: 'ctrl-3', passphrase, dryRun: 'false', backupId: body.safetyBackupId, skipSafetyBackup: 'true' });
    expect(undo.body.status).toBe('succeeded');
    expect(await volumesFingerprint('ctrl-3')).toBe(before);
  });
});

describe('volumes and versions', () => {
  it('creates a volume the target does not have', async () => {
    const backup = await backupThroughApi({ node: 'ctrl-2', passphrase, volumes: ['ucp-kv'] });
    expect((await docker('worker-1', 'volume', 'ls', '-q')).split('\n')).not.toContain('ucp-kv');
    try {
      const { status, body } = await restoreThroughApi({ node: 'worker-1', passphrase, dryRun: 'false', backupId: backup.id });
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.report.target.volumes).toEqual([{ name: 'ucp-kv', action: 'create' }]);
      expect(body.safetyBackupId).toBeNull();
      const extracted = await gpgTarExtract(backup.file, passphrase);
      await expectVolumeToBe('worker-1', 'ucp-kv', extracted);
      fs.rmSync(extracted, { recursive: true, force: true });
    } finally {
      await docker('worker-1', 'volume', 'rm', '-f', 'ucp-kv');
    }
  });

  it('refuses a backup of another UCP major.minor version unless forced, and says why', async () => {
    const entries: CraftedEntry[] = [
      { name: './ucp-kv/', type: 'directory', mode: 0o755 },
      { name: './ucp-kv/data', body: 'from a newer UCP' },
    ];
    const archive = await gpgEncrypt(await craftTar(entries, { ...manifestFor('ucp-kv', entries), ucpVersion: '3.3.0' }), passphrase);
    const refused = await restoreThroughApi({ node: 'ctrl-1', passphrase, dryRun: 'true' }, archive);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe('the backup is of UCP 3.3.0 and ctrl-1 runs UCP 3.2.6: a restore needs the same major.minor version (force it only if you know why)');
    const forced = await restoreThroughApi({ node: 'ctrl-1', passphrase, dryRun: 'true', force: 'true' }, archive);
    expect(forced.status, JSON.stringify(forced.body)).toBe(200);
    expect(forced.body.report.target.notes).toContain('forced: the backup is of UCP 3.3.0 and ctrl-1 runs UCP 3.2.6: a restore needs the same major.minor version');
  });
});

describe('symlinks to anywhere and FIFOs are data, restored as they are', () => {
  const volume = 'lifeboat-test-links';
  beforeAll(() => createLinksVolume('ctrl-2', volume));
  afterAll(() => removeVolume('ctrl-2', volume));

  it("come back verbatim from their backup: each symlink's target and owner, each FIFO's mode and owner", async () => {
    const before = await volumeFingerprint('ctrl-2', volume);
    expect(before).toMatch(new RegExp(`^\\./${volume}/abs symbolic link 777 1000:1000 .*\\n/etc/hostname$`, 'm'));
    expect(before).toMatch(new RegExp(`^\\./${volume}/esc symbolic link .*\\n\\.\\./\\.\\./x$`, 'm'));
    expect(before).toMatch(new RegExp(`^\\./${volume}/pipe fifo 640 1000:1001 `, 'm'));
    const backup = await backupThroughApi({ node: 'ctrl-2', passphrase, volumes: [volume] });
    await docker(
      'ctrl-2',
      'run',
      '--rm',
      '--network',
      'none',
      '-v',
      `${volume}:/v`,
      'lifeboat-lab/busybox:latest',
      'sh',
      '-c',
      'cd /v && rm pipe esc && ln -sfn /etc/passwd abs && echo stray > stray',
    );
    expect(await volumeFingerprint('ctrl-2', volume)).not.toBe(before);

    const { status, body } = await restoreThroughApi({ node: 'ctrl-2', passphrase, dryRun: 'false', backupId: backup.id });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.status).toBe('succeeded');
    expect(await volumeFingerprint('ctrl-2', volume)).toBe(before);
    expect(await ucpRunning('ctrl-2')).toBe(true);
  });

  it('restores a crafted archive of them onto a node that lacks the volume, links never followed', async () => {
    const crafted = 'lifeboat-test-crafted';
    const entries: CraftedEntry[] = [
      { name: `./${crafted}/`, type: 'directory', mode: 0o755 },
      { name: `./${crafted}/shadow`, type: 'symlink', linkname: '/etc/shadow', mode: 0o777, uid: 1000, gid: 1000 },
      { name: `./${crafted}/escape`, type: 'symlink', linkname: '../../../etc', mode: 0o777 },
      { name: `./${crafted}/a/`, type: 'directory', mode: 0o755 },
      { name: `./${crafted}/a/up`, type: 'symlink', linkname: '..', mode: 0o777 },
      { name: `./${crafted}/esc`, type: 'symlink', linkname: 'a/up/..', mode: 0o777 },
      { name: `./${crafted}/pipe`, type: 'fifo', mode: 0o620, uid: 1000, gid: 1001 },
    ];
    const archive = await gpgEncrypt(await craftTar(entries, manifestFor(crafted, entries)), passphrase);
    try {
      const { status, body } = await restoreThroughApi({ node: 'worker-1', passphrase, dryRun: 'false' }, archive);
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.report.target.volumes).toEqual([{ name: crafted, action: 'create' }]);
      const script =
        'cd /v && for f in shadow escape a/up esc pipe; do printf "%s %s" "$f" "$(stat -c "%F %a %u:%g" "$f")"; if [ -L "$f" ]; then printf " -> %s" "$(readlink "$f")"; fi; echo; done';
      const listing = await docker('worker-1', 'run', '--rm', '--network', 'none', '-v', `${crafted}:/v:ro`, 'lifeboat-lab/busybox:latest', 'sh', '-c', script);
      expect(listing.split('\n').filter(Boolean)).toEqual([
        'shadow symbolic link 777 1000:1000 -> /etc/shadow',
        'escape symbolic link 777 0:0 -> ../../../etc',
        'a/up symbolic link 777 0:0 -> ..',
        'esc symbolic link 777 0:0 -> a/up/..',
        'pipe fifo 620 1000:1001',
      ]);
    } finally {
      await removeVolume('worker-1', crafted);
    }
  });
});

describe('bad input leaves the target untouched', () => {
  let good: { id: string; file: string };
  let fingerprint: string;
  let ucpKvStartedAt: string;
  const work = tempDir('lifeboat-bad-');

  beforeAll(async () => {
    good = await backupThroughApi({ node: 'ctrl-1', passphrase, rootCaOnly: true });
    fingerprint = await volumesFingerprint('ctrl-1');
    ucpKvStartedAt = await startedAt('ctrl-1', 'ucp-kv');
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  async function expectRefused(archive: string, message: RegExp, fields: Record<string, string> = {}) {
    const { status, body } = await restoreThroughApi({ node: 'ctrl-1', passphrase, dryRun: 'false', ...fields }, archive);
    expect(status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect(body.error.message).toMatch(message);
    expect(await volumesFingerprint('ctrl-1')).toBe(fingerprint);
    expect(await startedAt('ctrl-1', 'ucp-kv')).toBe(ucpKvStartedAt);
  }

  const file = (name: string, bytes: Buffer) => {
    const target = `${work}/${name}`;
    fs.writeFileSync(target, bytes);
    return target;
  };
  const crafted = async (entries: CraftedEntry[], manifest: unknown = manifestFor('ucp-kv', entries)) => gpgEncrypt(await craftTar(entries, manifest), passphrase);

  it('a wrong passphrase', async () => {
    await expectRefused(good.file, /^the passphrase is wrong/, { passphrase: 'not the right one' });
  });

  it('a truncated file', async () => {
    const bytes = fs.readFileSync(good.file);
    await expectRefused(file('truncated.gpg', bytes.subarray(0, Math.floor(bytes.length / 2))), /truncated|not a valid tar|cannot be read/);
  });

  it('one flipped byte', async () => {
    const bytes = Buffer.from(fs.readFileSync(good.file));
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    await expectRefused(file('flipped.gpg', bytes), /modified|integrity|not a valid tar/);
  });

  it('a file that is not OpenPGP', async () => {
    await expectRefused(file('random.gpg', Buffer.from('this is not a backup at all'.repeat(100))), /not an OpenPGP message/);
  });

  it('an unencrypted tar', async () => {
    await expectRefused(await gpgDecrypt(good.file, passphrase), /not an OpenPGP message \(is it an unencrypted tar/);
  });

  it.each([
    ['a path with ..', [{ name: './ucp-kv/../../etc/cron.d/evil', body: 'x' }], /"\.\."/],
    ['an absolute path', [{ name: '/etc/cron.d/evil', body: 'x' }], /absolute path|not a volume name|"\.\."/],
    ['a hard link into another volume', [{ name: './ucp-kv/key', type: 'link', linkname: './ucp-client-root-ca/key.pem' }], /hard link to .*outside the volume ucp-kv/],
    [
      'a hard link to a symlink',
      [
        { name: './ucp-kv/abs', type: 'symlink', linkname: '/etc/shadow' },
        { name: './ucp-kv/shadow', type: 'link', linkname: './ucp-kv/abs' },
      ],
      /\.\/ucp-kv\/shadow: a hard link to abs, which is not an earlier file of the volume ucp-kv/,
    ],
    ['a device node', [{ name: './ucp-kv/mem', type: 'character-device' }], /\.\/ucp-kv\/mem: a device node, which Lifeboat neither backs up nor restores/],
    ['a volume name Docker would not accept', [{ name: './bad name!/file', body: 'x' }], /"bad name!" is not a volume name Docker would accept/],
    [
      'a file written through a symlink',
      [
        { name: './ucp-kv/l', type: 'symlink', linkname: '.' },
        { name: './ucp-kv/l/planted', body: 'x' },
      ],
      /written through l, which is not a directory/,
    ],
    [
      'a file written through an absolute symlink',
      [
        { name: './ucp-kv/etc', type: 'symlink', linkname: '/etc' },
        { name: './ucp-kv/etc/cron.d/evil', body: 'x' },
      ],
      /\.\/ucp-kv\/etc\/cron\.d\/evil: written through etc, which is not a directory/,
    ],
    [
      'a pax record Lifeboat does not restore',
      [{ name: './ucp-kv/cap', body: 'x', pax: { 'SCHILY.xattr.security.capability': 'x' } }],
      /pax record "SCHILY\.xattr\.security\.capability"/,
    ],
  ] as [string, CraftedEntry[], RegExp][])('an entry with %s', async (_label, entries, message) => {
    await expectRefused(await crafted([{ name: './ucp-kv/', type: 'directory', mode: 0o755 }, ...entries]), message);
  });

  it('a manifest that disagrees with the contents', async () => {
    const entries: CraftedEntry[] = [
      { name: './ucp-kv/', type: 'directory', mode: 0o755 },
      { name: './ucp-kv/data', body: 'the real contents' },
    ];
    const manifest = manifestFor('ucp-kv', [entries[0], { name: './ucp-kv/data', body: 'what the manifest says' }]);
    await expectRefused(await crafted(entries, manifest), /^the manifest disagrees with the contents: ucp-kv\/data has other contents$/);
  });

  it('a manifest whose owner is not a number (it would reach a shell otherwise)', async () => {
    const entries: CraftedEntry[] = [{ name: './ucp-kv/', type: 'directory', mode: 0o755 }];
    const manifest = manifestFor('ucp-kv', entries);
    (manifest.volumes[0].entries[0] as Record<string, unknown>).uid = '0 /tmp; touch /lifeboat/ucp-kv/pwned; #';
    await expectRefused(await crafted(entries, manifest), /^the manifest is malformed: volumes\.0\.entries\.0\.uid: /);
  });

  it('a manifest that disagrees about a mode', async () => {
    const entries: CraftedEntry[] = [
      { name: './ucp-kv/', type: 'directory', mode: 0o755 },
      { name: './ucp-kv/key.pem', body: 'k', mode: 0o644 },
    ];
    const manifest = manifestFor('ucp-kv', [entries[0], { ...entries[1], mode: 0o600 }]);
    await expectRefused(await crafted(entries, manifest), /ucp-kv\/key\.pem has another owner, mode or time$/);
  });

  it('an archive of a newer format version', async () => {
    const entries: CraftedEntry[] = [{ name: './ucp-kv/', type: 'directory', mode: 0o755 }];
    await expectRefused(await crafted(entries, { ...manifestFor('ucp-kv', entries), formatVersion: 99 }), /format version 99; this Lifeboat reads up to version 1/);
  });

  it('a restore the quorum guard refuses (ctrl-3 does not answer)', async () => {
    await lab('pause', 'ctrl-3');
    try {
      await expectRefused(good.file, /^refused: 3 controllers tolerate 1 down, and ctrl-3 \(down\) already is/);
    } finally {
      await lab('resume', 'ctrl-3');
    }
  });
});
