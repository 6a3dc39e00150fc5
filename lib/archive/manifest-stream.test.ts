import { describe, expect, it } from 'vitest';
import { MANIFEST_FORMAT, MANIFEST_VERSION, manifestSchema, type Manifest, type ManifestEntry } from './manifest';
import { ManifestWriter, PART_CHARACTERS, type ManifestStore } from './manifest-stream';

const head: Omit<Manifest, 'volumes'> = {
  format: MANIFEST_FORMAT,
  formatVersion: MANIFEST_VERSION,
  createdAt: '2026-12-03T00:00:00.000Z',
  node: { hostname: 'ctrl-1', swarmNodeId: 'n1' },
  engineVersion: '20.10.24',
  ucpVersion: '3.2.6',
  containers: ['ucp-kv'],
};

function memoryStore(): ManifestStore & { texts: string[] } {
  const texts: string[] = [];
  return {
    texts,
    append: async (text) => void texts.push(text),
    parts: async function* () {
      yield* texts;
    },
  };
}

const file = (path: string, size: number): ManifestEntry => ({ path, type: 'file', size, mode: 0o644, uid: 0, gid: 0, mtime: '2026-12-03T00:00:00.000Z', sha256: 'a'.repeat(64) });
const directory = (path: string): ManifestEntry => ({ path, type: 'directory', size: 0, mode: 0o755, uid: 0, gid: 0, mtime: '2026-12-03T00:00:00.000Z' });

describe('ManifestWriter', () => {
  it('writes a manifest of many files in parts of about 64 KiB, which together are the whole manifest with its counts', async () => {
    const store = memoryStore();
    const writer = new ManifestWriter(store, head);
    writer.startVolume('ucp-kv');
    writer.entry(directory(''));
    for (let i = 0; i < 20_000; i++) {
      writer.entry(file(`data/ünïcode-${i}`, i));
      // As a re-pack flushes: between engine chunks, each of many entries.
      if (i % 500 === 0) await writer.flush();
    }
    writer.endVolume();
    writer.startVolume('empty');
    writer.endVolume();
    await writer.end();

    expect(store.texts.length).toBeGreaterThan(20);
    for (const part of store.texts.slice(0, -1)) expect(part.length).toBe(PART_CHARACTERS);
    expect(store.texts.at(-1)!.length).toBeLessThanOrEqual(PART_CHARACTERS);
    const text = store.texts.join('');
    expect(writer.bytes).toBe(Buffer.byteLength(text));
    const manifest = manifestSchema.parse(JSON.parse(text));
    expect(manifest).toMatchObject(head);
    expect(manifest.volumes.map((v) => [v.name, v.files, v.bytes, v.entries.length])).toEqual([
      ['ucp-kv', 20_000, (19_999 * 20_000) / 2, 20_001],
      ['empty', 0, 0, 0],
    ]);
    expect(manifest.volumes[0].entries[20_000]).toEqual(file('data/ünïcode-19999', 19_999));
  });

  it('never cuts a part between the two halves of a character outside the BMP', async () => {
    const store = memoryStore();
    const writer = new ManifestWriter(store, head);
    writer.startVolume('ucp-kv');
    for (let i = 0; i < 2_000; i++) writer.entry(file(`🚢/${'⛵'.repeat(i % 7)}${'🛟'.repeat(i % 5)}${'🚢'.repeat(60)}`, i));
    writer.endVolume();
    await writer.end();
    // Some cut fell inside a pair (this input is fixed): that part is one unit short.
    expect(store.texts.slice(0, -1).some((part) => part.length === PART_CHARACTERS - 1)).toBe(true);
    for (const part of store.texts) expect(part.isWellFormed()).toBe(true);
    const text = store.texts.join('');
    expect(writer.bytes).toBe(Buffer.byteLength(text));
    expect(JSON.parse(text).volumes[0].entries[1999].path).toBe(`🚢/${'⛵'.repeat(1999 % 7)}${'🛟'.repeat(1999 % 5)}${'🚢'.repeat(60)}`);
  });

  it('refuses a manifest larger than a reader takes, saying why', async () => {
    const writer = new ManifestWriter(memoryStore(), head, 4096);
    writer.startVolume('ucp-kv');
    expect(() => {
      for (let i = 0; i < 100; i++) writer.entry(file(`data/${i}`, i));
    }).toThrow(/^the manifest of these volumes would be larger than 0\.00390625 MiB \(too many files\), and Lifeboat could not restore it$/);
  });

  it('writes a manifest without volumes as one part', async () => {
    const store = memoryStore();
    const writer = new ManifestWriter(store, head);
    await writer.end();
    expect(store.texts).toHaveLength(1);
    expect(JSON.parse(store.texts[0])).toEqual({ ...head, volumes: [] });
  });
});
