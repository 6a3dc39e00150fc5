import 'server-only';
import fs from 'node:fs/promises';
import path from 'node:path';
import { config } from '@/lib/config';
import { LifeboatError } from '@/lib/errors';

/**
 * The one place archives live: <data>/archives/<id>.tar.gpg once complete, <id>.tar.gpg.part while
 * written, and <data>/spool/<id>.spool for the encrypted spool between the engine read and OpenPGP.
 */
const archivesDir = path.join(config.dataDir, 'archives');
const spoolDir = path.join(config.dataDir, 'spool');
const uploadsDir = path.join(config.dataDir, 'uploads');

export function archivePaths(id: string) {
  return {
    final: path.join(archivesDir, `${id}.tar.gpg`),
    part: path.join(archivesDir, `${id}.tar.gpg.part`),
  };
}

/** A spool file of a job: its `index`-th volume's (a number), or another of its spools. */
export function spoolPath(id: string, index: number | string) {
  return path.join(spoolDir, `${id}.${index}.spool`);
}

async function spoolFiles(id: string) {
  return (await fs.readdir(spoolDir).catch(() => [])).filter((n) => n.startsWith(`${id}.`)).map((n) => path.join(spoolDir, n));
}

export async function ensureStore() {
  await Promise.all([archivesDir, spoolDir, uploadsDir].map((dir) => fs.mkdir(dir, { recursive: true, mode: 0o700 })));
}

/** An uploaded archive (for a restore), complete once renamed from its .part. */
export function uploadPaths(id: string) {
  return { final: path.join(uploadsDir, `${id}.tar.gpg`), part: path.join(uploadsDir, `${id}.tar.gpg.part`) };
}

export async function removeUpload(id: string) {
  const { final, part } = uploadPaths(id);
  await Promise.all([fs.rm(final, { force: true }), fs.rm(part, { force: true })]);
}

/**
 * Uploads unused for `maxAgeMs`, and unfinished ones untouched for `partIdleMs` (an upload under way
 * writes all the time): what a crash or an abandoned restore left.
 */
export async function staleUploads(maxAgeMs: number, partIdleMs: number): Promise<string[]> {
  const names = await fs.readdir(uploadsDir).catch(() => [] as string[]);
  const stale: string[] = [];
  for (const name of names) {
    const stats = await fs.stat(path.join(uploadsDir, name)).catch(() => null);
    const age = stats ? Date.now() - Math.max(stats.mtimeMs, stats.atimeMs) : 0;
    if (stats && age > (name.endsWith('.part') ? partIdleMs : maxAgeMs)) stale.push(name.split('.')[0]);
  }
  return [...new Set(stale)];
}

/** "120 MB", for the messages that say how much room a job needs. */
export function inMegabytes(bytes: number) {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

/** Room kept free beyond what a job's files need: the file system's own bookkeeping, the database. */
export const ROOM_MARGIN_BYTES = 64 * 1024 * 1024;

/** A full file system (a write's ENOSPC, or SQLite's for the history's), said as the operator needs it; any other error as it is. */
export function noRoomOr(error: unknown, doing: string): unknown {
  if (!isDiskFull(error)) return error;
  return new LifeboatError('no_room', `the data directory ran out of room while ${doing}: nothing was kept; free some space or delete old archives`);
}

function isDiskFull(error: unknown): boolean {
  // Prisma wraps SQLite's error: its words are in the message or a cause.
  for (let cause = error, depth = 0; cause && depth < 4; cause = (cause as { cause?: unknown }).cause, depth++) {
    const { code, message } = cause as { code?: unknown; message?: unknown };
    if (code === 'ENOSPC' || code === 'SQLITE_FULL' || /database or disk is full|SQLITE_FULL/.test(String(message))) return true;
  }
  return false;
}

/** Bytes the store may still use. */
export async function freeBytes(): Promise<number> {
  await ensureStore();
  const stats = await fs.statfs(archivesDir);
  return stats.bavail * stats.bsize;
}

/**
 * Makes a complete .part file the archive, atomically: a reader sees the whole file or none. `as`: the
 * archive's own id, when the job that wrote it has another.
 */
export async function commitArchive(id: string, as = id) {
  await fs.rename(archivePaths(id).part, archivePaths(as).final);
  const dir = await fs.open(archivesDir, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/** Removes what an unfinished job left: its .part and its spool. */
export async function discardTemporaryFiles(id: string) {
  await Promise.all([fs.rm(archivePaths(id).part, { force: true }), removeSpool(id)]);
}

export async function removeSpool(id: string) {
  await Promise.all((await spoolFiles(id)).map((file) => fs.rm(file, { force: true })));
}

export async function deleteArchive(id: string) {
  await fs.rm(archivePaths(id).final, { force: true });
}

export async function archiveSize(id: string): Promise<number | null> {
  try {
    // The path comes from the data directory, not the project: the build must not trace it.
    return (await fs.stat(/*turbopackIgnore: true*/ archivePaths(id).final)).size;
  } catch {
    return null;
  }
}

/** Ids of complete archives in the store, each with its age. */
export async function storedArchives(): Promise<{ id: string; ageMs: number }[]> {
  const names = (await fs.readdir(archivesDir).catch(() => [] as string[])).filter((n) => n.endsWith('.tar.gpg'));
  const found = await Promise.all(names.map(async (name) => ({ name, stats: await fs.stat(path.join(archivesDir, name)).catch(() => null) })));
  return found.filter((f) => f.stats).map((f) => ({ id: f.name.split('.')[0], ageMs: Date.now() - f.stats!.mtimeMs }));
}

/** Ids of jobs whose temporary files are still in the store. */
export async function temporaryFileIds(): Promise<string[]> {
  const names = [...(await fs.readdir(archivesDir).catch(() => [])), ...(await fs.readdir(spoolDir).catch(() => []))];
  return [...new Set(names.filter((n) => n.endsWith('.part') || n.endsWith('.spool')).map((n) => n.split('.')[0]))];
}
