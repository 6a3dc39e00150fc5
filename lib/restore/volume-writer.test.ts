import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ArchiveVisitor } from '@/lib/archive/archive-reader';
import type { ManifestEntry } from '@/lib/archive/manifest';
import { TarReader, type TarHeader } from '@/lib/archive/tar-format';
import { volumeTarWriter } from './volume-writer';

// A volume's last bytes before the next volume starts (1 MiB and 7 bytes after the last flush) overflow its tar's buffer.
const FILE_BYTES = 2.5 * 1024 * 1024 + 7;
const PIECE = 64 * 1024;

const entry = (path: string, type: ManifestEntry['type'], extra: Partial<ManifestEntry> = {}): ManifestEntry => ({
  path,
  type,
  size: 0,
  mode: 0o644,
  uid: 0,
  gid: 0,
  mtime: '2026-01-01T00:00:00.000Z',
  ...extra,
});

/** Feeds `volumes` through the visitor as the archive reader does: a flush after every chunk (here 1.5 MiB, more than a tar buffers). */
async function feed(visitor: ArchiveVisitor, volumes: string[]) {
  let sinceFlush = 0;
  const flushNow = async () => {
    if (sinceFlush < 1.5 * 1024 * 1024) return;
    sinceFlush = 0;
    await visitor.flush();
  };
  for (const volume of volumes) {
    for (const e of [entry('', 'directory'), entry('data', 'file', { size: FILE_BYTES }), entry('link', 'symlink', { linkname: '/elsewhere' })]) {
      visitor.entry({ volume, path: e.path, entry: e });
      for (let offset = 0; offset < e.size; offset += PIECE) {
        const piece = Buffer.alloc(Math.min(PIECE, e.size - offset), volume.length + offset / PIECE);
        visitor.body(piece);
        sinceFlush += piece.length;
        await flushNow();
      }
      visitor.entryEnd();
    }
  }
  await visitor.flush();
}

const expectedSha = (volume: string) => {
  const hash = createHash('sha256');
  for (let offset = 0; offset < FILE_BYTES; offset += PIECE) hash.update(Buffer.alloc(Math.min(PIECE, FILE_BYTES - offset), volume.length + offset / PIECE));
  return hash.digest('hex');
};

/** Reads a tar slowly (a turn of the event loop per chunk), as a spool or an engine would. */
async function readSlowly(tar: Readable) {
  const entries: { header: TarHeader; sha256: string }[] = [];
  let hash = createHash('sha256');
  let header: TarHeader | null = null;
  const reader = new TarReader({
    entry: (h) => ((header = h), (hash = createHash('sha256'))),
    body: (bytes) => hash.update(bytes),
    entryEnd: () => entries.push({ header: header!, sha256: hash.digest('hex') }),
  });
  for await (const chunk of tar) {
    reader.push(chunk);
    await nextTurn();
  }
  reader.end();
  return entries;
}

describe('volumeTarWriter', () => {
  it('writes one tar per volume, consumed one at a time and in order, whatever the consumer’s pace', async () => {
    const volumes = ['ucp-kv', 'ucp-auth-store-certs', 'ucp-client-root-ca'];
    let reading = 0;
    let mostAtOnce = 0;
    const writer = volumeTarWriter(async (volume, tar) => {
      mostAtOnce = Math.max(mostAtOnce, ++reading);
      const entries = await readSlowly(tar);
      reading -= 1;
      return { volume, entries };
    });
    await feed(writer.visitor, volumes);
    const tars = await writer.finish();
    expect(mostAtOnce).toBe(1);
    expect(tars.map((t) => t.volume)).toEqual(volumes);
    for (const { volume, entries } of tars) {
      // The volume's own directory is not in it: the restore sets it afterwards.
      expect(entries.map((e) => [e.header.name, e.header.type])).toEqual([
        [`./lifeboat/${volume}/data`, 'file'],
        [`./lifeboat/${volume}/link`, 'symlink'],
      ]);
      expect(entries[0]).toMatchObject({ header: { size: FILE_BYTES }, sha256: expectedSha(volume) });
      expect(entries[1].header.linkname).toBe('/elsewhere');
    }
  });

  it('fails the reading with the consumer’s own error when a consumer gives up halfway, and abort settles', async () => {
    const refused = new Error('the data directory is full');
    const writer = volumeTarWriter(async (_volume, tar) => {
      // Reads a first chunk, then fails: the writer, waiting for room in a tar nobody reads, must not wait for ever.
      for await (const chunk of tar) if (chunk) throw refused;
      return null;
    });
    await expect(feed(writer.visitor, ['first', 'second'])).rejects.toBe(refused);
    await writer.abort(refused);
  });
  it('hands no queued tar to a consumer once aborted, and abort settles once the running one has', async () => {
    const called: string[] = [];
    const writer = volumeTarWriter(async (volume, tar) => {
      called.push(volume);
      for await (const chunk of tar) if (chunk) await nextTurn();
      return volume;
    });
    const { visitor } = writer;
    const root = entry('', 'directory');
    visitor.entry({ volume: 'first', path: '', entry: root });
    visitor.entry({ volume: 'first', path: 'a', entry: entry('a', 'file', { size: 3 }) });
    visitor.body(Buffer.from('abc'));
    visitor.entryEnd();
    await visitor.flush();
    // The next volume begins in the same chunk as the failure: its tar is queued behind the first's.
    visitor.entry({ volume: 'second', path: '', entry: root });
    await writer.abort(new Error('the archive was modified'));
    expect(called).toEqual(['first']);
  });
});
