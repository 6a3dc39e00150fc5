// Real gpg, GNU tar and the docker CLI, to check Lifeboat's archives from the outside.
import { createHash } from 'node:crypto';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { labNode } from './lab';

const run = promisify(execFile);

export function tempDir(prefix = 'lifeboat-check-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * `gpg --decrypt FILE | <command>`, as the seed tells operators to read a backup. `passphrase` is the
 * archive's, or (with `keyHome`, a GnuPG home holding the private key) the private key's.
 */
async function gpgInto(file: string, passphrase: string, command: string, args: string[], keyHome?: string): Promise<string> {
  const gpgHome = keyHome ?? tempDir('gpg-home-');
  fs.chmodSync(gpgHome, 0o700);
  try {
    const shell = `gpg --homedir '${gpgHome}' --batch --quiet --pinentry-mode loopback --passphrase-fd 3 --decrypt '${file}' | ${command} ${args.map((a) => `'${a}'`).join(' ')}`;
    return await new Promise((resolve, reject) => {
      const child = spawn('bash', ['-o', 'pipefail', '-c', shell], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (err += d));
      (child.stdio[3] as NodeJS.WritableStream).end(passphrase);
      child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`gpg | ${command} failed (${code}): ${err}`))));
    });
  } finally {
    if (!keyHome) fs.rmSync(gpgHome, { recursive: true, force: true });
  }
}

/** `gpg --decrypt FILE | tar --list`: the entry names. */
export async function gpgTarList(file: string, passphrase: string, keyHome?: string): Promise<string[]> {
  return (await gpgInto(file, passphrase, 'tar', ['--list'], keyHome)).split('\n').filter(Boolean);
}

/** `gpg --decrypt FILE | tar -x` into a new directory, keeping owners and modes. */
export async function gpgTarExtract(file: string, passphrase: string): Promise<string> {
  const dir = tempDir('lifeboat-extract-');
  await gpgInto(file, passphrase, 'tar', ['-x', '--same-owner', '--same-permissions', '--numeric-owner', '-C', dir]);
  return dir;
}

/** A volume's files as the docker CLI reads them: `docker cp helper:/v - | tar -x`, via a created, never started helper. */
export async function volumeViaDockerCli(node: string, volume: string): Promise<string> {
  const host = `unix://${labNode(node).socket}`;
  const dir = tempDir('lifeboat-cli-');
  const { stdout } = await run('/usr/bin/docker', ['-H', host, 'create', '-v', `${volume}:/v:ro`, 'lifeboat-lab/busybox:latest', 'true']);
  const helper = stdout.trim();
  try {
    await run('bash', ['-o', 'pipefail', '-c', `/usr/bin/docker -H ${host} cp ${helper}:/v - | tar -x --same-owner --same-permissions --numeric-owner -C '${dir}'`]);
  } finally {
    await run('/usr/bin/docker', ['-H', host, 'rm', '-f', helper]);
  }
  return path.join(dir, 'v');
}

export type TreeEntry = { path: string; type: string; mode: number; uid: number; gid: number; size: number; mtime: number; sha256?: string; link?: string };

/** Everything about a directory tree that a restore must reproduce: types, modes, owners, times, contents, links. */
export function describeTree(root: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  const walk = (rel: string) => {
    const full = path.join(root, rel);
    const stat = fs.lstatSync(full);
    const type = stat.isSymbolicLink() ? 'symlink' : stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : stat.isFIFO() ? 'fifo' : 'other';
    const entry: TreeEntry = {
      path: rel,
      type,
      mode: stat.mode & 0o7777,
      uid: stat.uid,
      gid: stat.gid,
      size: type === 'file' ? stat.size : 0,
      mtime: type === 'symlink' ? 0 : Math.floor(stat.mtimeMs / 1000),
    };
    if (type === 'file') entry.sha256 = createHash('sha256').update(fs.readFileSync(full)).digest('hex');
    if (type === 'symlink') entry.link = fs.readlinkSync(full);
    if (rel) entries.push(entry);
    if (type === 'directory') for (const name of fs.readdirSync(full).sort()) walk(rel ? `${rel}/${name}` : name);
  };
  walk('');
  return entries;
}
