import { toBackupJson } from '@/lib/api/backup-json';
import { apiRoute } from '@/lib/api/route';
import { streamedJsonResponse } from '@/lib/api/streamed-json';
import { getBackup } from '@/lib/history/backup-history';
import { storedManifest } from '@/lib/history/manifest-parts';
import { liveProgress } from '@/lib/jobs/job-progress';

// GET /api/v1/backups/{id} – one backup, its progress while it runs, and its manifest once done.
export const GET = apiRoute<{ id: string }>('read', async (_request, { params }) => {
  const backup = await getBackup(params.id);
  return streamedJsonResponse(toBackupJson(backup, await liveProgress(backup.id)), 'manifest', storedManifest(backup.id));
});
