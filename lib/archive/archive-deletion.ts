import 'server-only';
import { LifeboatError } from '@/lib/errors';
import { getBackup, markArchiveDeleted } from '@/lib/history/backup-history';
import { restoresReading } from '@/lib/history/restore-history';
import { isRunning } from '@/lib/jobs/job-states';
import { deleteArchive } from './archive-store';

/** Deletes a backup's stored archive; the history row stays, marked deleted. */
export async function deleteStoredArchive(id: string) {
  const backup = await getBackup(id);
  if (isRunning(backup.status)) throw new LifeboatError('conflict', 'the backup is still running');
  if ((await restoresReading(id)) > 0) throw new LifeboatError('conflict', 'a restore is reading this archive now');
  if (!backup.stored) {
    throw new LifeboatError('not_found', backup.fileDeletedAt ? `the archive of backup ${id} was already deleted` : `backup ${id} has no stored archive`);
  }
  await deleteArchive(id);
  await markArchiveDeleted(id);
}
