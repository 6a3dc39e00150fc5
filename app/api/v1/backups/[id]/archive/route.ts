import { followingArchiveResponse, storedArchiveResponse } from '@/lib/api/archive-response';
import { apiRoute } from '@/lib/api/route';
import { deleteStoredArchive } from '@/lib/archive/archive-deletion';
import { archivePaths, archiveSize } from '@/lib/archive/archive-store';
import { LifeboatError } from '@/lib/errors';
import { getBackup } from '@/lib/history/backup-history';
import { isRunning } from '@/lib/jobs/job-states';

// GET /api/v1/backups/{id}/archive – the encrypted archive: followed while written, then with Range and ETag.
export const GET = apiRoute<{ id: string }>('download', async (request, { params }) => {
  const backup = await getBackup(params.id);
  if (isRunning(backup.status)) return followingArchiveResponse(backup.id, backup.fileName, { 'X-Backup-Id': backup.id });
  if (!backup.stored) throw new LifeboatError('not_found', archiveMissing(backup));
  const size = await archiveSize(backup.id);
  if (size === null) throw new LifeboatError('not_found', `the archive of backup ${backup.id} is missing from the store`);
  return storedArchiveResponse(request, { path: archivePaths(backup.id).final, size, sha256: backup.sha256!, fileName: backup.fileName });
});

// DELETE /api/v1/backups/{id}/archive – deletes the stored archive; the history row stays, marked deleted.
export const DELETE = apiRoute<{ id: string }>('manage', async (_request, { params }) => {
  await deleteStoredArchive(params.id);
  return Response.json({ id: params.id, deleted: true });
});

function archiveMissing(backup: { id: string; status: string; fileDeletedAt: Date | null; error: string | null }) {
  if (backup.fileDeletedAt) return `the archive of backup ${backup.id} was deleted`;
  return `backup ${backup.id} has no archive: it ${backup.status}${backup.error ? ` (${backup.error})` : ''}`;
}
