import 'server-only';
import { tap } from './stream-tap';
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path/posix';
import { pipeline as pipelineCallback, type Readable } from 'node:stream';
import { refusal } from '@/lib/crypto/openpgp-thread';
import { decryptArchive, type Opener } from '@/lib/crypto/archive-encryption';
import { invalid, LifeboatError, messageOf } from '@/lib/errors';
import { volumeName } from '@/lib/validations/backup';
import { CONTAINERS_DIR, MANIFEST_PATH, manifestEntry, MAX_MANIFEST_BYTES, type ManifestEntry, type ManifestSummary } from './manifest';
import { ManifestChecker } from './manifest-check';
import { TarReader, type TarHeader } from './tar-format';
import { VolumeRead } from './volume-read';

/**
 * An entry of a volume, checked: its path stays inside the volume, nothing is written through a link,
 * and a hard link names an earlier file of the volume; a symlink's target is its text, whatever it
 * points to. `entry` is what the archive says of it (a hard link's target relative to its volume, like `path`).
 */
export type VolumeEntry = { volume: string; path: string; entry: ManifestEntry };

/**
 * What a restore does with the archive's volume entries as they are read, in archive order, before
 * they are known to be authentic: each checked entry, its body (views of the decrypted chunk: each
 * chunk is a buffer of its own, never filled again, so a view may be kept), its end. `flush` comes
 * after every chunk of the archive and settles once there is room for more.
 */
export type ArchiveVisitor = {
  entry: (entry: VolumeEntry) => void;
  body: (bytes: Buffer) => void;
  entryEnd: () => void;
  flush: () => Promise<void>;
};

/** A failure of the visitor rather than of the archive: passed on as it is. */
class VisitorError extends Error {
  constructor(readonly cause: unknown) {
    super(messageOf(cause));
  }
}

export type ArchiveContents = { manifest: ManifestSummary; containers: string[] };

const MAX_CONTAINER_JSON_BYTES = 16 * 1024 * 1024;

/**
 * Reads a Lifeboat (or UCP-style) archive in one pass: decrypts it, checks every entry (no path or hard
 * link out of its volume, nothing written through a link, no devices, volume names Docker accepts),
 * hashes every file, and at the end checks the OpenPGP integrity code and that the manifest agrees
 * with what was read. Only when this resolves is anything it handed to `visitor` trustworthy.
 */
export async function readArchive(ciphertext: Readable, opener: Opener, visitor?: ArchiveVisitor): Promise<ArchiveContents> {
  return parseArchive(await decrypt(ciphertext, opener), visitor, () => ciphertext.destroy());
}

async function parseArchive(plaintext: Readable, visitor: ArchiveVisitor | undefined, onFailure: () => void): Promise<ArchiveContents> {
  const parser = new ArchiveParser(visitor);
  try {
    for await (const chunk of plaintext as AsyncIterable<Buffer>) {
      parser.push(chunk);
      if (visitor) await visitor.flush().catch((error) => Promise.reject(new VisitorError(error)));
    }
    parser.end();
  } catch (error) {
    plaintext.destroy();
    onFailure();
    // The visitor's own failures (an engine that broke off, a full disk) keep their words; the rest is about the archive.
    throw error instanceof VisitorError ? error.cause : describeStreamError(error);
  }
  return { manifest: parser.manifest(), containers: parser.containers };
}

/** What the parser is in: a volume's entry (hashed if a file), the manifest (checked as it comes), or something it skips. */
type Current = { kind: 'volume'; read: VolumeRead; row: number; hash: Hash | null } | { kind: 'manifest' } | { kind: 'skip' };
const SKIP: Current = { kind: 'skip' };

/** The archive's tar, read chunk by chunk on this thread: each entry checked, each file hashed, as it comes. */
class ArchiveParser {
  readonly containers: string[] = [];
  private readonly volumes = new Map<string, VolumeRead>();
  private checker: ManifestChecker | null = null;
  /** The manifest's first disagreement, said once the whole archive is read: a damaged archive is then said to be damaged instead. */
  private manifestError: unknown = null;
  private current: Current = SKIP;
  private readonly tar = new TarReader({ entry: (header) => this.entry(header), body: (bytes) => this.body(bytes), entryEnd: () => this.entryEnd() });

  constructor(private readonly visitor?: ArchiveVisitor) {}

  push(chunk: Buffer) {
    try {
      this.tar.push(chunk);
    } catch (error) {
      throw notATar(error);
    }
  }

  end() {
    try {
      this.tar.end();
    } catch (error) {
      throw notATar(error);
    }
  }

  /** The manifest's summary, once the archive is read whole and its manifest agrees with what it holds. */
  manifest(): ManifestSummary {
    if (this.checker === null) invalid('the archive has no ./lifeboat/manifest.json: it was not written by Lifeboat');
    if (this.manifestError) throw this.manifestError;
    return this.checker.end();
  }

  private entry(header: TarHeader) {
    const name = normalize(header.name);
    this.current = SKIP;
    if (name === MANIFEST_PATH) {
      if (header.size > MAX_MANIFEST_BYTES) invalid(`the manifest is larger than ${MAX_MANIFEST_BYTES / 1024 / 1024} MB`);
      if (this.checker) invalid(`${name} appears twice in the archive`);
      this.checker = new ManifestChecker(this.volumes);
      this.current = { kind: 'manifest' };
    } else if (name.startsWith(CONTAINERS_DIR) && name.endsWith('.json')) {
      if (header.size > MAX_CONTAINER_JSON_BYTES) invalid(`${name} is larger than ${MAX_CONTAINER_JSON_BYTES / 1024 / 1024} MB`);
      this.containers.push(path.basename(name, '.json'));
    } else if (name !== './lifeboat' && name !== CONTAINERS_DIR.slice(0, -1)) {
      this.volumeEntry(name, header);
    }
  }

  private volumeEntry(name: string, header: TarHeader) {
    // The manifest is compared with the volumes as it is read: they must all come before it (as Lifeboat writes them).
    if (this.checker) invalid(`${name} comes after the manifest: the archive was not written by Lifeboat`);
    const { volume, relative } = splitVolumePath(name);
    const read = this.volumes.get(volume) ?? this.newVolume(volume, name);
    checkPaxRecords(header.pax, name);
    const record = manifestEntry(header, relative, (target) => hardLinkTarget(volume, target, name));
    if (record.type === 'symlink' && record.linkname!.includes('\0')) invalid(`${name}: a link target with a NUL byte`);
    const row = read.admit(record, Math.floor(header.mtime), name);
    this.current = { kind: 'volume', read, row, hash: record.type === 'file' ? createHash('sha256') : null };
    this.visitor?.entry({ volume, path: relative, entry: record });
  }

  private newVolume(volume: string, name: string) {
    if (!volumeName.safeParse(volume).success) invalid(`${name}: "${volume}" is not a volume name Docker would accept`);
    const read = new VolumeRead(volume);
    this.volumes.set(volume, read);
    return read;
  }

  private body(bytes: Buffer) {
    const current = this.current;
    if (current.kind === 'volume') {
      current.hash?.update(bytes);
      this.visitor?.body(bytes);
    } else if (current.kind === 'manifest' && !this.manifestError) {
      try {
        this.checker!.push(bytes);
      } catch (error) {
        this.manifestError = error;
      }
    }
  }

  private entryEnd() {
    const current = this.current;
    this.current = SKIP;
    if (current.kind !== 'volume') return;
    if (current.hash) current.read.setSha256(current.row, current.hash.digest());
    this.visitor?.entryEnd();
  }
}

async function decrypt(ciphertext: Readable, opener: Opener) {
  try {
    return await decryptArchive(ciphertext, opener);
  } catch (error) {
    ciphertext.destroy();
    throw describeStreamError(error);
  }
}

/** The tar reader's own failures (a damaged header, an entry cut short); the archive checks' pass as they are. */
function notATar(error: unknown) {
  return error instanceof LifeboatError ? error : new LifeboatError('invalid_input', `the decrypted archive is not a valid tar: ${messageOf(error)}`);
}

/** What openpgp.js and the file system throw, as a sentence about the archive. */
function describeStreamError(error: unknown): LifeboatError {
  if (error instanceof LifeboatError) return error;
  const message = messageOf(error);
  if (/Session key decryption failed|Error decrypting message/i.test(message)) return refusal('wrong_passphrase');
  if (/Modification detected|MDC|integrity/i.test(message)) return refusal('modified');
  if (/Unexpected end|premature|truncated|Unexpected end of data/i.test(message)) return refusal('truncated');
  if (/does not conform to a valid OpenPGP format|Error during parsing|Unknown packet|not.*OpenPGP/i.test(message)) {
    return new LifeboatError('invalid_input', 'this file is not an OpenPGP message (is it an unencrypted tar, or not a backup at all?)');
  }
  return new LifeboatError('invalid_input', `the archive cannot be read: ${message}`);
}

function normalize(name: string) {
  const trimmed = name.replace(/\/+$/, '');
  return trimmed.startsWith('./') || trimmed === '.' ? trimmed : `./${trimmed}`;
}

/** `./<volume>/<path>`, refusing absolute paths and `..` (the volume's name is checked once, by the parser). */
function splitVolumePath(name: string) {
  if (name.startsWith('/') || name.startsWith('./../')) invalid(`${name}: an absolute path or one that leaves the archive`);
  // A NUL would end the name in a ustar field, where the engine reads it: another path than the one checked.
  if (name.includes('\0')) invalid(`${JSON.stringify(name)}: a path with a NUL byte`);
  const parts = name.slice(2).split('/');
  if (parts.some((p) => p === '..' || p === '.' || p === '')) invalid(`${name}: the path holds "..", "." or an empty part`);
  const slash = name.indexOf('/', 2);
  return slash === -1 ? { volume: name.slice(2), relative: '' } : { volume: name.slice(2, slash), relative: name.slice(slash + 1) };
}

/** A hard link names an archive path (`./<volume>/<path>`): it must be in the same volume (whose name was checked). */
function hardLinkTarget(volume: string, target: string, name: string) {
  const { volume: targetVolume, relative } = splitVolumePath(normalize(target));
  if (targetVolume !== volume) invalid(`${name}: a hard link to ${target}, outside the volume ${volume}`);
  return relative;
}

// pax records a restore may carry over; anything else (xattrs, GNU sparse maps) would reach the volume unchecked.
const ALLOWED_PAX = new Set(['path', 'linkpath', 'size', 'mtime', 'atime', 'ctime', 'uid', 'gid', 'uname', 'gname', 'comment']);

function checkPaxRecords(pax: Record<string, string> | undefined, name: string) {
  const refused = pax && Object.keys(pax).find((key) => !ALLOWED_PAX.has(key));
  if (refused) invalid(`${name}: a pax record "${refused}", which Lifeboat does not restore`);
}

export type VerifiedArchive = ArchiveContents & { archiveSha256: string };

/**
 * One full pass over an archive file, changing nothing anywhere: decrypts it, checks the OpenPGP
 * integrity code, every entry and every file's SHA-256 against the manifest. `visitor`, if any, sees
 * each entry; only once this resolves are they known to be authentic.
 */
export async function readArchiveFile(path: string, opener: Opener, visitor?: ArchiveVisitor, signal?: AbortSignal): Promise<VerifiedArchive> {
  const hash = createHash('sha256');
  const hashed = tap((chunk) => hash.update(chunk));
  const file = fs.createReadStream(path, { highWaterMark: 1024 * 1024 });
  const stop = () => file.destroy(signal!.reason);
  signal?.throwIfAborted();
  signal?.addEventListener('abort', stop, { once: true });
  const contents = await readArchive(
    pipelineCallback(file, hashed, () => {}),
    opener,
    visitor,
  )
    .catch((error) => {
      throw signal?.aborted ? signal.reason : error;
    })
    .finally(() => signal?.removeEventListener('abort', stop));
  return { ...contents, archiveSha256: hash.digest('hex') };
}
