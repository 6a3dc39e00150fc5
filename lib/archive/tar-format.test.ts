import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeHeader, END_OF_ARCHIVE, padding, TarReader, type TarHeader } from './tar-format';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-tar-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const longDir = `${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(60)}`;
const longName = `${longDir}/${'n'.repeat(120)}`;

/** A directory tree with what the engine's tars hold: long names and links, a hard link, a FIFO, odd sizes. */
function makeTree(root: string) {
  fs.mkdirSync(path.join(root, longDir), { recursive: true });
  fs.writeFileSync(path.join(root, 'empty'), '');
  fs.writeFileSync(path.join(root, 'odd'), Buffer.alloc(513, 7));
  fs.writeFileSync(path.join(root, longName), 'a file with a name of over 255 bytes\n');
  fs.symlinkSync(`/nowhere/${'t'.repeat(150)}`, path.join(root, 'long-link'));
  fs.linkSync(path.join(root, 'odd'), path.join(root, 'hard'));
  execFileSync('mkfifo', [path.join(root, 'fifo')]);
  fs.chmodSync(path.join(root, 'odd'), 0o4751);
}

type Read = { header: TarHeader; sha256: string; bytes: number };

/** Reads `tar` through a TarReader fed `chunkBytes` at a time. */
function readAll(tar: Buffer, chunkBytes: number): Read[] {
  const entries: Read[] = [];
  let hash = createHash('sha256');
  let bytes = 0;
  let header: TarHeader | null = null;
  const reader = new TarReader({
    entry: (h) => ((header = h), (hash = createHash('sha256')), (bytes = 0)),
    body: (chunk) => (hash.update(chunk), (bytes += chunk.length)),
    entryEnd: () => entries.push({ header: header!, sha256: hash.digest('hex'), bytes }),
  });
  for (let offset = 0; offset < tar.length; offset += chunkBytes) reader.push(tar.subarray(offset, offset + chunkBytes));
  reader.end();
  return entries;
}

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('reading tars as GNU tar writes them', () => {
  const root = path.join(work, 'tree');
  makeTree(root);

  for (const format of ['gnu', 'pax', 'ustar'] as const) {
    it(`reads every entry of a ${format} tar, whatever the chunk size`, () => {
      // ustar cannot hold the long names: that tar holds the rest.
      const args = format === 'ustar' ? ['empty', 'odd', 'hard', 'fifo'] : ['.'];
      const tar = execFileSync('tar', [`--format=${format}`, '-C', root, '-cf', '-', ...args], { maxBuffer: 1 << 26 });
      const whole = readAll(tar, tar.length);
      for (const size of [1, 511, 512, 513, 7919]) expect(readAll(tar, size)).toEqual(whole);

      const byName = new Map(whole.map((read) => [read.header.name.replace(/^\.\//, ''), read]));
      expect(byName.get('odd')).toMatchObject({ header: { type: 'file', size: 513, mode: 0o4751 }, bytes: 513, sha256: sha(path.join(root, 'odd')) });
      expect(byName.get('empty')).toMatchObject({ header: { type: 'file', size: 0 }, bytes: 0 });
      expect(byName.get('hard')?.header).toMatchObject({ type: 'link', linkname: expect.stringMatching(/^(\.\/)?odd$/), size: 0 });
      expect(byName.get('fifo')?.header.type).toBe('fifo');
      if (format !== 'ustar') {
        expect(byName.get(longName)).toMatchObject({ header: { type: 'file' }, sha256: sha(path.join(root, longName)) });
        expect(byName.get('long-link')?.header).toMatchObject({ type: 'symlink', linkname: `/nowhere/${'t'.repeat(150)}` });
        expect(byName.get(`${longDir}/`)?.header.type ?? byName.get(longDir)?.header.type).toBe('directory');
      }
    });
  }

  it('refuses a damaged header and a tar cut short', () => {
    const tar = execFileSync('tar', ['-C', root, '-cf', '-', 'odd']);
    const damaged = Buffer.from(tar);
    damaged[10] ^= 1;
    expect(() => readAll(damaged, 4096)).toThrow(/checksum/);
    expect(() => readAll(tar.subarray(0, 512 + 100), 4096)).toThrow(/middle of an entry/);
  });
});

describe('writing tars that GNU tar reads', () => {
  const mtime = 1_700_000_000;
  const entries: [TarHeader, Buffer?][] = [
    [{ name: './v/', type: 'directory', mode: 0o755, uid: 0, gid: 0, size: 0, mtime }],
    [{ name: `./v/${longName}`, type: 'file', mode: 0o640, uid: 1000, gid: 1000, size: 5, mtime, uname: 'someone', gname: 'staff' }, Buffer.from('hello')],
    [{ name: './v/big-ids', type: 'file', mode: 0o600, uid: 0o7777777 + 1, gid: 1_868_001_104, size: 513, mtime }, Buffer.alloc(513, 1)],
    [{ name: './v/link', type: 'symlink', mode: 0o777, uid: 0, gid: 0, size: 0, mtime, linkname: `/${'l'.repeat(200)}` }],
    [{ name: './v/hard', type: 'link', mode: 0o640, uid: 0, gid: 0, size: 0, mtime, linkname: './v/big-ids' }],
    [{ name: `./v/${'é'.repeat(10)}`, type: 'fifo', mode: 0o600, uid: 0, gid: 0, size: 0, mtime }],
  ];
  const archive = Buffer.concat([...entries.flatMap(([header, body]) => [...encodeHeader(header), ...(body ? [body, padding(body.length)] : [])]), END_OF_ARCHIVE]);

  it('writes names, links, owners and bodies that GNU tar lists and extracts as they were', () => {
    const file = path.join(work, 'ours.tar');
    fs.writeFileSync(file, archive);
    const listing = execFileSync('tar', ['--numeric-owner', '-tvf', file]).toString();
    expect(listing).toContain(`./v/${longName}`);
    expect(listing).toMatch(/ 2097152\/1868001104 +513 .* \.\/v\/big-ids/);
    expect(listing).toContain(`./v/link -> /${'l'.repeat(200)}`);
    expect(listing).toContain('./v/hard link to ./v/big-ids');
    expect(listing).toContain(`./v/${'é'.repeat(10)}`);
    const out = path.join(work, 'out');
    fs.mkdirSync(out);
    execFileSync('tar', ['-C', out, '-xf', file]);
    expect(fs.readFileSync(path.join(out, 'v', longName), 'utf8')).toBe('hello');
    expect(fs.statSync(path.join(out, 'v', 'hard')).ino).toBe(fs.statSync(path.join(out, 'v', 'big-ids')).ino);
  });

  const expected = entries.map(([header]) => ({ uname: '', gname: '', linkname: '', devmajor: 0, devminor: 0, ...header }));

  it('reads back what it wrote, with the PAX records that carried what ustar cannot hold', () => {
    const read = readAll(archive, 1000).map((r) => r.header);
    expect(read.map((header) => ({ ...header, pax: undefined }))).toEqual(expected);
    expect(read.find((h) => h.name === `./v/${longName}`)?.pax).toEqual({ path: `./v/${longName}` });
    expect(read.find((h) => h.name === './v/hard')?.pax).toBeUndefined();
  });

  it('writes what an independent reader (tar-stream) reads the same: names, links, owners over 2097151, times', async () => {
    const read: Partial<TarHeader>[] = [];
    const extract = tar.extract();
    const done = (async () => {
      for await (const entry of extract) {
        const { name, type, mode, uid, gid, size, mtime, linkname } = entry.header;
        read.push({ name, type: type as TarHeader['type'], mode: mode! & 0o7777, uid, gid, size, mtime: mtime!.getTime() / 1000, linkname: linkname ?? '' });
        entry.resume();
      }
    })();
    Readable.from([archive]).pipe(extract);
    await done;
    expect(read).toEqual(expected.map(({ name, type, mode, uid, gid, size, mtime, linkname }) => ({ name, type, mode, uid, gid, size, mtime, linkname })));
  });

  it('writes a size past 8 GiB in base-256', () => {
    const [block] = encodeHeader({ name: 'huge', type: 'file', mode: 0o600, uid: 0, gid: 0, size: 2 ** 33 + 1, mtime });
    let header: TarHeader | null = null;
    new TarReader({ entry: (h) => (header = h), body: () => {}, entryEnd: () => {} }).push(block);
    expect(block[124]).toBe(0x80);
    expect(header).toMatchObject({ name: 'huge', size: 2 ** 33 + 1 });
  });
});
