import 'server-only';
import { db, takeWriteLock } from '@/lib/db';
import { LifeboatError } from '@/lib/errors';
import { markArchiveDeleted } from '@/lib/history/backup-history';
import { restoresReading } from '@/lib/history/restore-history';
import { isRunning } from '@/lib/jobs/job-states';
import { deleteArchive } from './archive-store';

/**
 * Deletes a backup's stored archive; the history row stays, marked deleted (`prunedBy`: by that policy's
 * retention). The check and the mark are one transaction under the write lock, which restores and
 * verifications also take to start (and check the archive is still stored): none starts reading a file
 * that goes. The row first: a file left behind by a crash is an orphan, which the sweep removes.
 */
export async function deleteStoredArchive(id: string, prunedBy?: string) {
  await db.$transaction(async (tx) => {
    await takeWriteLock(tx);
    const backup = await tx.backup.findUnique({ where: { id }, select: { status: true, storedAt: true, fileDeletedAt: true } });
    if (!backup) throw new LifeboatError('not_found', `no backup ${id}`);
    if (isRunning(backup.status)) throw new LifeboatError('conflict', 'the backup is still running');
    if ((await restoresReading(id, tx)) > 0) throw new LifeboatError('conflict', 'a restore is reading this archive now');
    if (!backup.storedAt || backup.fileDeletedAt) {
      throw new LifeboatError('not_found', backup.fileDeletedAt ? `the archive of backup ${id} was already deleted` : `backup ${id} has no stored archive`);
    }
    await markArchiveDeleted(id, prunedBy, tx);
  });
  await deleteArchive(id);
}
