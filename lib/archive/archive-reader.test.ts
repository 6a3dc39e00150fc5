import { describe, expect, it } from 'vitest';
import { craftTar, gpgEncrypt, manifestFor, type CraftedEntry } from '@/e2e/support/crafted-archive';
import { readArchiveFile } from './archive-reader';

// The reader's refusals that the lab's restore tests do not reach: archives made by hand (tar-stream),
// encrypted by the real gpg, read as a restore reads them.

const passphrase = 'reader test passphrase';
const root: CraftedEntry = { name: './ucp-kv/', type: 'directory', mode: 0o755 };

async function read(entries: CraftedEntry[]) {
  return readArchiveFile(await gpgEncrypt(await craftTar(entries, manifestFor('ucp-kv', entries)), passphrase), { passphrase });
}

describe('the archive reader', () => {
  it('reads a well-formed archive and its manifest', async () => {
    const { manifest } = await read([root, { name: './ucp-kv/key.pem', body: 'a key' }]);
    expect(manifest.volumes.map((v) => [v.name, v.files, v.bytes])).toEqual([['ucp-kv', 1, 5]]);
  });

  // A NUL ends a name in a ustar field, where the engine would read it: `s\0/x` would be written as `s/x`,
  // through whatever `s` is, past the check of the path as read.
  it.each([
    ['a path', [root, { name: './ucp-kv/s', type: 'symlink', linkname: '/etc' }, { name: './ucp-kv/sx', body: 'x', pax: { path: './ucp-kv/s\0/x' } }], /a path with a NUL byte/],
    ['a symlink target', [root, { name: './ucp-kv/l', type: 'symlink', linkname: 'x', pax: { linkpath: '/etc\0/x' } }], /a link target with a NUL byte/],
  ] as [string, CraftedEntry[], RegExp][])('refuses %s with a NUL byte', async (_what, entries, message) => {
    await expect(read(entries)).rejects.toThrow(message);
  });

  // The manifest is compared with the volumes as it is read, so every volume entry must come before it.
  it('refuses a volume entry after the manifest', async () => {
    const entries = [root, { name: './ucp-kv/key.pem', body: 'a key' }];
    const archive = await gpgEncrypt(await craftTar(entries, manifestFor('ucp-kv', entries), [{ name: './ucp-kv/late', body: 'x' }]), passphrase);
    await expect(readArchiveFile(archive, { passphrase })).rejects.toThrow(/^\.\/ucp-kv\/late comes after the manifest: the archive was not written by Lifeboat$/);
  });
});
