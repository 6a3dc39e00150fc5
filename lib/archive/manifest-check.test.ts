import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MANIFEST_FORMAT, MANIFEST_VERSION, type Manifest, type ManifestEntry } from './manifest';
import { ManifestChecker } from './manifest-check';
import { ManifestWriter } from './manifest-stream';
import { VolumeRead } from './volume-read';

const head: Omit<Manifest, 'volumes'> = {
  format: MANIFEST_FORMAT,
  formatVersion: MANIFEST_VERSION,
  createdAt: '2026-12-04T00:00:00.000Z',
  node: { hostname: 'ctrl-1', swarmNodeId: 'n1' },
  engineVersion: '20.10.24',
  ucpVersion: '3.2.6',
  containers: ['ucp-kv'],
};
const mtime = '2026-12-04T10:11:12.000Z';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const root: ManifestEntry = { path: '', type: 'directory', size: 0, mode: 0o755, uid: 0, gid: 0, mtime };
const file = (path: string, body: string): ManifestEntry => ({ path, type: 'file', size: Buffer.byteLength(body), mode: 0o600, uid: 1, gid: 2, mtime, sha256: sha256(body) });
const symlink = (path: string, linkname: string): ManifestEntry => ({ path, type: 'symlink', size: 0, mode: 0o777, uid: 0, gid: 0, mtime, linkname });

const volumes: Record<string, ManifestEntry[]> = {
  'ucp-kv': [root, { ...root, path: 'dätä' }, file('dätä/🔑 key.pem', 'a key'), symlink('latest', 'dätä/🔑 key.pem')],
  'ucp-auth-store-data': [root, file('db', 'rows'), file('empty', '')],
  'ucp-empty': [],
};

/** What a reader would have kept of `volumes`: every entry admitted, every file's hash set. */
function entriesRead(contents: Record<string, ManifestEntry[]> = volumes) {
  const read = new Map<string, VolumeRead>();
  for (const [name, entries] of Object.entries(contents)) {
    const volume = new VolumeRead(name);
    read.set(name, volume);
    for (const entry of entries) {
      const row = volume.admit(entry, Date.parse(entry.mtime) / 1000, `./${name}/${entry.path}`);
      if (entry.sha256) volume.setSha256(row, Buffer.from(entry.sha256, 'hex'));
    }
  }
  return read;
}

/** The manifest of `contents` as a backup writes it: one entry per line. */
async function linesOf(contents: Record<string, ManifestEntry[]>) {
  const texts: string[] = [];
  const writer = new ManifestWriter({ append: async (text) => void texts.push(text), parts: async function* () {} }, head);
  for (const [name, entries] of Object.entries(contents)) {
    writer.startVolume(name);
    for (const entry of entries) writer.entry(entry);
    writer.endVolume();
  }
  await writer.end();
  return Buffer.from(texts.join(''));
}

/** The manifest as early versions wrote it: pretty-printed JSON. */
function prettyOf(contents: Record<string, ManifestEntry[]>) {
  const manifest: Manifest = {
    ...head,
    volumes: Object.entries(contents).map(([name, entries]) => {
      const files = entries.filter((e) => e.type === 'file');
      return { name, files: files.length, bytes: files.reduce((n, e) => n + e.size, 0), entries };
    }),
  };
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
}

/** Checks `manifest` against `read`, fed in pieces of `piece` bytes (UTF-8 characters and lines split anywhere). */
function check(manifest: Buffer, read = entriesRead(), piece = 7) {
  const checker = new ManifestChecker(read);
  for (let at = 0; at < manifest.length; at += piece) checker.push(manifest.subarray(at, at + piece));
  return checker.end();
}

const expectedSummary = {
  ...head,
  volumes: [
    { name: 'ucp-kv', files: 1, bytes: 5, root },
    { name: 'ucp-auth-store-data', files: 2, bytes: 4, root },
    { name: 'ucp-empty', files: 0, bytes: 0, root: null },
  ],
};

const outOfLayout = (line: number) => new RegExp(`^the manifest is not valid JSON in the one-entry-per-line layout Lifeboat writes \\(line ${line}\\)$`);

describe('ManifestChecker', () => {
  it.each([1, 7, 65_536])("agrees with what was read, the manifest in a backup's layout fed %i bytes at a time, and keeps only the head, counts and roots", async (piece) => {
    expect(check(await linesOf(volumes), entriesRead(), piece)).toEqual(expectedSummary);
  });

  it('agrees with an archive of no volumes, and with a manifest without its last newline', async () => {
    expect(check(await linesOf({}), new Map())).toEqual({ ...head, volumes: [] });
    const lines = await linesOf(volumes);
    expect(check(lines.subarray(0, lines.length - 1))).toEqual(expectedSummary);
  });

  it('reads the pretty-printed manifest of early versions whole, and agrees the same way', () => {
    expect(check(prettyOf(volumes))).toEqual(expectedSummary);
  });

  it("finds a backup's manifest wrong at the line that is, before the rest of it comes", async () => {
    const read = entriesRead({ ...volumes, 'ucp-kv': [root] });
    const checker = new ManifestChecker(read);
    const manifest = await linesOf(volumes);
    const wrongLine = manifest.indexOf('"path":"dätä"');
    expect(() => checker.push(manifest.subarray(0, manifest.indexOf('\n', wrongLine) + 1))).toThrow(/^the manifest disagrees with the contents: ucp-kv\/dätä is missing$/);
  });

  const spoiled = (change: (contents: Record<string, ManifestEntry[]>) => void) => {
    const contents = structuredClone(volumes);
    change(contents);
    return contents;
  };
  it.each([
    ['a file it does not name', spoiled((c) => c['ucp-kv'].pop()), /ucp-kv\/latest is not in the manifest$/],
    ['a file it names but was not read', spoiled((c) => c['ucp-kv'].push(file('gone', 'x'))), /ucp-kv\/gone is missing$/],
    ['other contents', spoiled((c) => (c['ucp-auth-store-data'][1].sha256 = sha256('other'))), /ucp-auth-store-data\/db has other contents$/],
    ['another size', spoiled((c) => (c['ucp-auth-store-data'][1].size = 5)), /ucp-auth-store-data\/db has other contents$/],
    ['another type', spoiled((c) => (c['ucp-kv'][3] = { ...root, path: 'latest' })), /ucp-kv\/latest is a symlink, not a directory$/],
    ['another link target', spoiled((c) => (c['ucp-kv'][3].linkname = 'elsewhere')), /ucp-kv\/latest links elsewhere$/],
    ['another mode', spoiled((c) => (c['ucp-kv'][2].mode = 0o644)), /ucp-kv\/dätä\/🔑 key\.pem has another owner, mode or time$/],
    ['another owner', spoiled((c) => (c['ucp-kv'][2].uid = 0)), /has another owner, mode or time$/],
    ['another second', spoiled((c) => (c['ucp-kv'][2].mtime = '2026-12-04T10:11:13.000Z')), /has another owner, mode or time$/],
    ['a volume that was not read', spoiled((c) => (c['ucp-extra'] = [])), /volume ucp-extra is missing$/],
    ['no word of a volume that was read', spoiled((c) => delete c['ucp-empty']), /volume ucp-empty is not in the manifest$/],
  ])('refuses a manifest with %s, in either layout', async (_what, contents, message) => {
    expect(() => check(prettyOf(contents))).toThrow(message);
    await expect(linesOf(contents).then((manifest) => check(manifest))).rejects.toThrow(message);
  });

  it('refuses wrong counts, in either layout', async () => {
    const wrongCounts = (text: string) => Buffer.from(text.replace('"files":2,"bytes":4', '"files":2,"bytes":5'));
    expect(() => check(wrongCounts(JSON.stringify(JSON.parse(prettyOf(volumes).toString()))))).toThrow(/the counts of ucp-auth-store-data are wrong$/);
    const lines = (await linesOf(volumes)).toString();
    expect(() => check(wrongCounts(lines))).toThrow(/the counts of ucp-auth-store-data are wrong$/);
  });

  it.each([
    ['an owner that is not a number', (text: string) => text.replace('"uid":1', '"uid":"0; touch /pwned"'), /^the manifest is malformed: volumes\.0\.entries\.2\.uid: /],
    ['a missing comma between entries', (text: string) => text.replace(/},\n/, '}\n'), outOfLayout(4)],
    ['an entry split over two lines', (text: string) => text.replace('"size":0,', '"size":0,\n'), /^the manifest is not valid JSON$/],
    ['no end', (text: string) => text.slice(0, text.lastIndexOf(']}')), /^the manifest is cut short after line 14$/],
    ['something after its end', (text: string) => `${text}{}\n`, outOfLayout(16)],
    // A whole-document parse would take the last "name": the line check must not read it otherwise.
    [
      "another key after a volume's counts",
      (text: string) => text.replace('"files":1,"bytes":5}', '"files":1,"bytes":5,"name":"other"}'),
      /^the manifest is malformed: volumes\.0: /,
    ],
    ['another format', (text: string) => text.replace(MANIFEST_FORMAT, 'other'), /^the manifest is not a Lifeboat manifest$/],
    [
      'a newer format version',
      (text: string) => text.replace('"formatVersion":1', '"formatVersion":2'),
      /^the archive is of format version 2; this Lifeboat reads up to version 1/,
    ],
  ])("refuses a backup's manifest with %s", async (_what, spoil, message) => {
    const text = (await linesOf(volumes)).toString();
    expect(() => check(Buffer.from(spoil(text)))).toThrow(message);
  });
});
