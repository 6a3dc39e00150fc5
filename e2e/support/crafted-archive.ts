// Archives made by hand, to prove that a bad one changes nothing: real tar entries (tar-stream),
// encrypted by the real gpg.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import tar from 'tar-stream';
import { tempDir } from './archive';

const run = promisify(execFile);

export type CraftedEntry = {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'character-device' | 'block-device' | 'fifo';
  body?: string;
  linkname?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  /** pax records to write with the entry. */
  pax?: Record<string, string>;
};

/** A manifest that matches `entries` (all under one volume), which a test may then spoil. */
export function manifestFor(volume: string, entries: CraftedEntry[], extra: Record<string, unknown> = {}) {
  const inVolume = entries.filter((e) => e.name.startsWith(`./${volume}/`));
  const records = inVolume.map((e) => {
    const type = e.type ?? 'file';
    const record: Record<string, unknown> = {
      path: e.name.slice(volume.length + 3).replace(/\/$/, ''),
      type,
      size: type === 'file' ? Buffer.byteLength(e.body ?? '') : 0,
      mode: e.mode ?? 0o644,
      uid: e.uid ?? 0,
      gid: e.gid ?? 0,
      mtime: new Date(0).toISOString(),
    };
    if (type === 'file')
      record.sha256 = createHash('sha256')
        .update(e.body ?? '')
        .digest('hex');
    if (e.linkname) record.linkname = e.linkname;
    return record;
  });
  const files = records.filter((r) => r.type === 'file');
  return {
    format: 'lifeboat-ucp-backup',
    formatVersion: 1,
    createdAt: new Date().toISOString(),
    node: { hostname: 'crafted', swarmNodeId: null },
    engineVersion: null,
    ucpVersion: null,
    containers: [],
    volumes: [{ name: volume, files: files.length, bytes: files.reduce((n, r) => n + (r.size as number), 0), entries: records }],
    ...extra,
  };
}

/** A tar of `entries`, `./lifeboat/manifest.json`, then `after` (none, as Lifeboat writes it), written to a file. */
export async function craftTar(entries: CraftedEntry[], manifest: unknown, after: CraftedEntry[] = []): Promise<string> {
  const file = path.join(tempDir('lifeboat-crafted-'), 'archive.tar');
  const pack = tar.pack();
  const writing = pipeline(pack, fs.createWriteStream(file));
  const add = (header: tar.Header | Record<string, unknown>, body?: string) =>
    new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null) => (error ? reject(error) : resolve());
      if (body === undefined) pack.entry(header as never, done);
      else pack.entry(header as never, body, done);
    });
  const addAll = async (crafted: CraftedEntry[]) => {
    for (const e of crafted) {
      const type = e.type ?? 'file';
      await add(
        { name: e.name, type, mode: e.mode ?? 0o644, uid: e.uid ?? 0, gid: e.gid ?? 0, mtime: new Date(0), linkname: e.linkname, devmajor: 1, devminor: 3, pax: e.pax },
        type === 'file' ? (e.body ?? '') : undefined,
      );
    }
  };
  await addAll(entries);
  await add({ name: './lifeboat/manifest.json', mode: 0o600, mtime: new Date(0) }, JSON.stringify(manifest));
  await addAll(after);
  pack.finalize();
  await writing;
  return file;
}

/** `gpg --symmetric --cipher-algo AES256 -z 0`, as an operator would encrypt a tar by hand. */
export async function gpgEncrypt(file: string, passphrase: string): Promise<string> {
  const home = tempDir('gpg-home-');
  fs.chmodSync(home, 0o700);
  const out = `${file}.gpg`;
  await run('gpg', ['--homedir', home, '--batch', '--pinentry-mode', 'loopback', '--passphrase', passphrase, '--symmetric', '--cipher-algo', 'AES256', '-z', '0', '-o', out, file]);
  fs.rmSync(home, { recursive: true, force: true });
  return out;
}

/** `gpg --decrypt` of an archive into a plain tar file. */
export async function gpgDecrypt(file: string, passphrase: string): Promise<string> {
  const home = tempDir('gpg-home-');
  fs.chmodSync(home, 0o700);
  const out = path.join(tempDir('lifeboat-plain-'), 'archive.tar');
  await run('gpg', ['--homedir', home, '--batch', '--quiet', '--pinentry-mode', 'loopback', '--passphrase', passphrase, '--decrypt', '-o', out, file]);
  fs.rmSync(home, { recursive: true, force: true });
  return out;
}
