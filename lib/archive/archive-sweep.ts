import 'server-only';
import { db } from '@/lib/db';
import { existingBackupIds } from '@/lib/history/backup-history';
import { deleteArchive, discardTemporaryFiles, removeUpload, staleUploads, storedArchives, temporaryFileIds } from './archive-store';

const HOUR = 3600_000;
/** An upload nobody restored within a day is forgotten; an unfinished one, after an hour without a byte. */
const UPLOAD_MAX_AGE_MS = 24 * HOUR;
const UPLOAD_PART_IDLE_MS = HOUR;
/** A backup renames its archive before it records it: an archive without a row is an orphan only after this. */
const UNRECORDED_ARCHIVE_GRACE_MS = HOUR;

/**
 * Removes what no job will ever use: temporary files (a `.part`, a spool) of jobs that no longer hold a
 * lease, stale uploads, and archives that no history row names. Whatever process wrote them.
 */
export async function sweepOrphans() {
  const held = new Set((await db.job.findMany({ where: { releasedAt: null }, select: { id: true } })).map((j) => j.id));
  for (const id of await temporaryFileIds()) if (!held.has(id)) await discardTemporaryFiles(id);
  for (const id of await staleUploads(UPLOAD_MAX_AGE_MS, UPLOAD_PART_IDLE_MS)) await removeUpload(id);
  const archives = (await storedArchives()).filter((a) => a.ageMs > UNRECORDED_ARCHIVE_GRACE_MS && !held.has(a.id));
  const recorded = await existingBackupIds(archives.map((a) => a.id));
  for (const archive of archives) if (!recorded.has(archive.id)) await deleteArchive(archive.id);
}
