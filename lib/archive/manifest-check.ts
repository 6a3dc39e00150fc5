import 'server-only';
import { LifeboatError } from '@/lib/errors';
import { MANIFEST_FORMAT, MANIFEST_VERSION, manifestSchema, type Manifest, type ManifestEntry } from './manifest';

/** What an archive held, as its reader saw it: each volume's entries by path. */
export type EntriesRead = Map<string, Map<string, ManifestEntry>>;

function invalid(message: string): never {
  throw new LifeboatError('invalid_input', message);
}

/** The archive's manifest, checked before anything relies on it: it comes from outside. */
export function parseManifest(text: string): Manifest {
  let raw: { format?: unknown; formatVersion?: unknown };
  try {
    raw = JSON.parse(text);
  } catch {
    return invalid('the manifest is not valid JSON');
  }
  if (raw?.format !== MANIFEST_FORMAT) invalid('the manifest is not a Lifeboat manifest');
  if (typeof raw.formatVersion !== 'number' || raw.formatVersion > MANIFEST_VERSION) {
    invalid(`the archive is of format version ${raw.formatVersion}; this Lifeboat reads up to version ${MANIFEST_VERSION}: upgrade Lifeboat`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) invalid(`the manifest is malformed: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

/** Times as tar keeps them: whole seconds. */
function sameSecond(a: string, b: string) {
  return Math.floor(Date.parse(a) / 1000) === Math.floor(Date.parse(b) / 1000);
}

/** Every volume, entry, type, owner, mode, time, link and file hash the manifest names was read, and nothing else. */
export function compareWithManifest(manifest: Manifest, read: EntriesRead) {
  const disagree: (detail: string) => never = (detail) => invalid(`the manifest disagrees with the contents: ${detail}`);
  for (const volume of manifest.volumes) {
    const entries = read.get(volume.name);
    if (!entries) disagree(`volume ${volume.name} is missing`);
    const listed = new Set<string>();
    for (const expected of volume.entries) {
      const actual = entries.get(expected.path);
      const where = `${volume.name}/${expected.path}`;
      listed.add(expected.path);
      if (!actual) disagree(`${where} is missing`);
      if (actual.type !== expected.type) disagree(`${where} is a ${actual.type}, not a ${expected.type}`);
      if (expected.type === 'file' && (actual.sha256 !== expected.sha256 || actual.size !== expected.size)) disagree(`${where} has other contents`);
      if ((expected.linkname ?? null) !== (actual.linkname ?? null)) disagree(`${where} links elsewhere`);
      if ((actual.mode & 0o7777) !== (expected.mode & 0o7777) || actual.uid !== expected.uid || actual.gid !== expected.gid || !sameSecond(actual.mtime, expected.mtime)) {
        disagree(`${where} has another owner, mode or time`);
      }
    }
    const extra = [...entries.keys()].find((p) => !listed.has(p));
    if (extra !== undefined) disagree(`${volume.name}/${extra} is not in the manifest`);
    const files = volume.entries.filter((e) => e.type === 'file');
    if (volume.files !== files.length || volume.bytes !== files.reduce((n, e) => n + e.size, 0)) disagree(`the counts of ${volume.name} are wrong`);
  }
  const unlisted = [...read.keys()].find((v) => !manifest.volumes.some((m) => m.name === v));
  if (unlisted) disagree(`volume ${unlisted} is not in the manifest`);
}
