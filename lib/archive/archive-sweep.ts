import 'server-only';
import { db } from '@/lib/db';
import { recordedArchives } from '@/lib/history/backup-history';
import { discardOrphanedManifests } from '@/lib/history/manifest-parts';
import { uploadsOfRestores } from '@/lib/history/restore-history';
import { deleteArchive, discardTemporaryFiles, removeUpload, staleUploads, storedArchives, temporaryFileIds } from './archive-store';

const HOUR = 3600_000;
/** An upload nobody restored within a day is forgotten; an unfinished one, after an hour without a byte. */
const UPLOAD_MAX_AGE_MS = 24 * HOUR;
const UPLOAD_PART_IDLE_MS = HOUR;
/** A backup renames its archive before it records it: an archive without a row is an orphan only after this. */
const UNRECORDED_ARCHIVE_GRACE_MS = HOUR;

/** The jobs that still hold a lease, and the uploads their restores read. */
async function heldByJobs() {
  const jobs = new Set((await db.job.findMany({ where: { releasedAt: null }, select: { id: true } })).map((j) => j.id));
  return { jobs, uploadsInUse: await uploadsOfRestores([...jobs]) };
}

/**
 * Removes what no job will ever use: temporary files (a `.part`, a spool) and manifests of jobs that no
 * longer hold a lease, stale uploads no restore reads, and archives that no history row records as
 * stored (one whose job ended otherwise, after its owner was declared dead, say). Whatever process wrote them.
 */
export async function sweepOrphans() {
  // The files first, then the leases: a job that starts in between holds its lease before it writes a file.
  const [temporary, uploads, archives] = [await temporaryFileIds(), await staleUploads(UPLOAD_MAX_AGE_MS, UPLOAD_PART_IDLE_MS), await storedArchives()];
  const { jobs, uploadsInUse } = await heldByJobs();
  for (const id of temporary) if (!jobs.has(id)) await discardTemporaryFiles(id);
  for (const id of uploads) if (!uploadsInUse.has(id)) await removeUpload(id);
  const settled = archives.filter((a) => a.ageMs > UNRECORDED_ARCHIVE_GRACE_MS && !jobs.has(a.id));
  const recorded = await recordedArchives(settled.map((a) => a.id));
  for (const archive of settled) if (!recorded.has(archive.id)) await deleteArchive(archive.id);
  await discardOrphanedManifests();
}
