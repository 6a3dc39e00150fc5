import { toBackupJson } from '@/lib/api/backup-json';
import { apiRoute } from '@/lib/api/route';
import { getBackup, getManifest } from '@/lib/history/backup-history';
import { liveProgress } from '@/lib/jobs/job-progress';

// GET /api/v1/backups/{id} – one backup, its progress while it runs, and its manifest once done.
export const GET = apiRoute<{ id: string }>('read', async (_request, { params }) => {
  const backup = await getBackup(params.id);
  return Response.json({ ...toBackupJson(backup, await liveProgress(backup.id)), manifest: await getManifest(backup.id) });
});
