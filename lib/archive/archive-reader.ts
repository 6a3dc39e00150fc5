import 'server-only';
import { tap } from './stream-tap';
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import { once } from 'node:events';
import path from 'node:path/posix';
import { PassThrough, pipeline as pipelineCallback, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar, { type Header } from 'tar-stream';
import { refusal } from '@/lib/crypto/openpgp-thread';
import { decryptArchive, type Opener } from '@/lib/crypto/archive-encryption';
import { LifeboatError, messageOf } from '@/lib/errors';
import { volumeName } from '@/lib/validations/backup';
import {
  CONTAINERS_DIR,
  MANIFEST_FORMAT,
  MANIFEST_PATH,
  MANIFEST_VERSION,
  MAX_MANIFEST_BYTES,
  manifestSchema,
  type EntryType,
  type Manifest,
  type ManifestEntry,
} from './manifest';
import { VolumeLayout } from './volume-layout';

/**
 * An entry of a volume, checked: its path stays inside the volume, nothing is written through a link,
 * and a hard link names an earlier file of the volume; a symlink's target is its text, whatever it
 * points to. `entry` is what the archive says of it (a hard link's target relative to its volume, like `path`).
 */
export type VolumeEntry = { volume: string; path: string; entry: ManifestEntry; body: Readable };

/** A failure of the visitor rather than of the archive: passed on as it is. */
class VisitorError extends Error {
  constructor(readonly cause: unknown) {
    super(messageOf(cause));
  }
}

function unwrap(error: unknown) {
  return error instanceof VisitorError ? error.cause : error;
}

/** Called for every volume entry, in archive order; must consume `body`. */
export type EntryVisitor = (entry: VolumeEntry) => Promise<void>;

export type ArchiveContents = { manifest: Manifest; containers: string[] };

const MAX_CONTAINER_JSON_BYTES = 16 * 1024 * 1024;

/** Says a bad archive is bad, in words the operator can act on. */
function invalid(message: string): never {
  throw new LifeboatError('invalid_input', message);
}

/**
 * Reads a Lifeboat (or UCP-style) archive in one pass: decrypts it, checks every entry (no path or hard
 * link out of its volume, nothing written through a link, no devices, volume names Docker accepts),
 * hashes every file, and at the end checks the OpenPGP integrity code and that the manifest agrees
 * with what was read. Only when this resolves is anything it handed to `visit` trustworthy.
 */
export async function readArchive(ciphertext: Readable, opener: Opener, visit?: EntryVisitor): Promise<ArchiveContents> {
  return parseArchive(await decrypt(ciphertext, opener), visit, () => ciphertext.destroy());
}

async function parseArchive(plaintext: Readable, visit: EntryVisitor | undefined, onFailure: () => void): Promise<ArchiveContents> {
  const extract = tar.extract();
  const feeding = pipeline(plaintext, extract).catch((error) => {
    throw describeStreamError(error);
  });
  const seen = new Map<string, Map<string, ManifestEntry>>();
  const layouts = new Map<string, VolumeLayout>();
  const containers: string[] = [];
  let manifestText: string | null = null;
  try {
    for await (const entry of extract) {
      const name = normalize(entry.header.name);
      if (name === MANIFEST_PATH) {
        manifestText = await readSmall(entry, MAX_MANIFEST_BYTES, 'the manifest');
        continue;
      }
      if (name.startsWith(CONTAINERS_DIR) && name.endsWith('.json')) {
        await readSmall(entry, MAX_CONTAINER_JSON_BYTES, name);
        containers.push(path.basename(name, '.json'));
        continue;
      }
      if (name === './lifeboat' || name === CONTAINERS_DIR.slice(0, -1)) {
        entry.resume();
        continue;
      }
      const { volume, relative } = splitVolumePath(name);
      const type = checkType(entry.header, name);
      checkPaxRecords(entry.header, name);
      const record: ManifestEntry = {
        path: relative,
        type,
        size: type === 'file' ? entry.header.size : 0,
        mode: entry.header.mode,
        uid: entry.header.uid,
        gid: entry.header.gid,
        mtime: entry.header.mtime.toISOString(),
      };
      if (type === 'symlink') record.linkname = entry.header.linkname;
      if (type === 'link') record.linkname = hardLinkTarget(volume, entry.header.linkname, name);
      const layout = layouts.get(volume) ?? layouts.set(volume, new VolumeLayout(volume)).get(volume)!;
      layout.admit(relative, type, record.linkname ?? '', name);
      const hash = createHash('sha256');
      const body = entry as unknown as AsyncIterable<Buffer>;
      if (visit) await handOver(body, hash, (stream) => visit({ volume, path: relative, entry: record, body: stream }));
      else for await (const chunk of body) hash.update(chunk);
      if (type === 'file') record.sha256 = hash.digest('hex');
      seen.set(volume, (seen.get(volume) ?? new Map()).set(relative, record));
    }
    await feeding;
  } catch (error) {
    extract.destroy();
    onFailure();
    await feeding.catch(() => {});
    // The visitor's own failures (an engine that broke off) keep their words; the rest is about the archive.
    throw error instanceof LifeboatError || error instanceof VisitorError ? unwrap(error) : describeStreamError(error);
  }
  if (manifestText === null) invalid('the archive has no ./lifeboat/manifest.json: it was not written by Lifeboat');
  const manifest = parseManifest(manifestText);
  compareWithManifest(manifest, seen);
  return { manifest, containers };
}

/** Gives `visit` the entry's body as a Node stream, hashing it on the way, with back-pressure both ways. */
async function handOver(source: AsyncIterable<Buffer>, hash: Hash, visit: (body: Readable) => Promise<void>) {
  const body = new PassThrough({ highWaterMark: 1024 * 1024 });
  const visiting = visit(body).catch((error) => {
    throw new VisitorError(error);
  });
  const stopped = visiting.then(() => 'stopped' as const);
  try {
    for await (const chunk of source) {
      hash.update(chunk);
      if (!body.write(chunk) && (await Promise.race([once(body, 'drain'), stopped])) === 'stopped') {
        throw new Error('an entry was not read to its end');
      }
    }
    body.end();
  } catch (error) {
    body.destroy(error as Error);
    await visiting.catch(() => {});
    throw error;
  }
  await visiting;
}

async function decrypt(ciphertext: Readable, opener: Opener) {
  try {
    return await decryptArchive(ciphertext, opener);
  } catch (error) {
    ciphertext.destroy();
    throw describeStreamError(error);
  }
}

/** What openpgp.js, tar-stream and the file system throw, as a sentence about the archive. */
function describeStreamError(error: unknown): LifeboatError {
  if (error instanceof LifeboatError) return error;
  const message = messageOf(error);
  if (/Session key decryption failed|Error decrypting message/i.test(message)) return refusal('wrong_passphrase');
  if (/Modification detected|MDC|integrity/i.test(message)) return refusal('modified');
  if (/Unexpected end|premature|truncated|Unexpected end of data/i.test(message)) return refusal('truncated');
  if (/does not conform to a valid OpenPGP format|Error during parsing|Unknown packet|not.*OpenPGP/i.test(message)) {
    return new LifeboatError('invalid_input', 'this file is not an OpenPGP message (is it an unencrypted tar, or not a backup at all?)');
  }
  if (/Invalid tar header|Unexpected end|Invalid/i.test(message)) {
    return new LifeboatError('invalid_input', `the decrypted archive is not a valid tar: ${message}`);
  }
  return new LifeboatError('invalid_input', `the archive cannot be read: ${message}`);
}

function normalize(name: string) {
  const trimmed = name.replace(/\/+$/, '');
  return trimmed.startsWith('./') || trimmed === '.' ? trimmed : `./${trimmed}`;
}

/** `./<volume>/<path>`, refusing absolute paths, `..` and volume names Docker would not accept. */
function splitVolumePath(name: string) {
  if (name.startsWith('/') || name.startsWith('./../')) invalid(`${name}: an absolute path or one that leaves the archive`);
  const parts = name.slice(2).split('/');
  if (parts.some((p) => p === '..' || p === '.' || p === '')) invalid(`${name}: the path holds "..", "." or an empty part`);
  const [volume, ...rest] = parts;
  if (!volumeName.safeParse(volume).success) invalid(`${name}: "${volume}" is not a volume name Docker would accept`);
  return { volume, relative: rest.join('/') };
}

function checkType(header: Header, name: string): EntryType {
  switch (header.type) {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'directory':
    case 'symlink':
    case 'link':
    case 'character-device':
    case 'block-device':
    case 'fifo':
      return header.type;
    default:
      return invalid(`${name}: an entry of type ${header.type}, which Lifeboat does not restore`);
  }
}

/** A hard link names an archive path (`./<volume>/<path>`): it must be in the same volume. */
function hardLinkTarget(volume: string, target: string, name: string) {
  const { volume: targetVolume, relative } = splitVolumePath(normalize(target));
  if (targetVolume !== volume) invalid(`${name}: a hard link to ${target}, outside the volume ${volume}`);
  return relative;
}

// pax records a restore may carry over; anything else (xattrs, GNU sparse maps) would reach the volume unchecked.
const ALLOWED_PAX = new Set(['path', 'linkpath', 'size', 'mtime', 'atime', 'ctime', 'uid', 'gid', 'uname', 'gname']);

function checkPaxRecords(header: Header, name: string) {
  const keys = Object.keys((header.pax as Record<string, string> | null | undefined) ?? {});
  const refused = keys.find((key) => !ALLOWED_PAX.has(key));
  if (refused) invalid(`${name}: a pax record "${refused}", which Lifeboat does not restore`);
}

async function readSmall(entry: AsyncIterable<unknown>, limit: number, what: string) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of entry as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) invalid(`${what} is larger than ${limit / 1024 / 1024} MB`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseManifest(text: string): Manifest {
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
function compareWithManifest(manifest: Manifest, seen: Map<string, Map<string, ManifestEntry>>) {
  const disagree: (detail: string) => never = (detail) => invalid(`the manifest disagrees with the contents: ${detail}`);
  for (const volume of manifest.volumes) {
    const read = seen.get(volume.name);
    if (!read) disagree(`volume ${volume.name} is missing`);
    const listed = new Set<string>();
    for (const expected of volume.entries) {
      const actual = read.get(expected.path);
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
    const extra = [...read.keys()].find((p) => !listed.has(p));
    if (extra !== undefined) disagree(`${volume.name}/${extra} is not in the manifest`);
    const files = volume.entries.filter((e) => e.type === 'file');
    if (volume.files !== files.length || volume.bytes !== files.reduce((n, e) => n + e.size, 0)) disagree(`the counts of ${volume.name} are wrong`);
  }
  const unlisted = [...seen.keys()].find((v) => !manifest.volumes.some((m) => m.name === v));
  if (unlisted) disagree(`volume ${unlisted} is not in the manifest`);
}

export type VerifiedArchive = ArchiveContents & { archiveSha256: string };

/**
 * One full pass over an archive file, changing nothing anywhere: decrypts it, checks the OpenPGP
 * integrity code, every entry and every file's SHA-256 against the manifest. `visit`, if any, sees each entry;
 * only once this resolves are they known to be authentic.
 */
export async function readArchiveFile(path: string, opener: Opener, visit?: EntryVisitor, signal?: AbortSignal): Promise<VerifiedArchive> {
  const hash = createHash('sha256');
  const hashed = tap((chunk) => hash.update(chunk));
  const file = fs.createReadStream(path, { highWaterMark: 1024 * 1024 });
  const stop = () => file.destroy(signal!.reason);
  signal?.throwIfAborted();
  signal?.addEventListener('abort', stop, { once: true });
  const contents = await readArchive(
    pipelineCallback(file, hashed, () => {}),
    opener,
    visit,
  )
    .catch((error) => {
      throw signal?.aborted ? signal.reason : error;
    })
    .finally(() => signal?.removeEventListener('abort', stop));
  return { ...contents, archiveSha256: hash.digest('hex') };
}
