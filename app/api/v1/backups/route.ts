import { z } from 'zod';
import { followingArchiveResponse } from '@/lib/api/archive-response';
import { toBackupJson } from '@/lib/api/backup-json';
import { jsonBody } from '@/lib/api/json-body';
import { apiRoute } from '@/lib/api/route';
import { startBackup } from '@/lib/backup/backup-run';
import { listBackups } from '@/lib/history/backup-history';
import { STATUS_FILTERS } from '@/lib/jobs/job-states';
import { backupRequestSchema } from '@/lib/validations/backup';

const listQuery = z.object({
  node: z.string().optional(),
  status: z.enum(STATUS_FILTERS).optional(),
});

// GET /api/v1/backups – the history, newest first (?node=, ?status=).
export const GET = apiRoute('read', async (request) => {
  const filter = listQuery.parse(Object.fromEntries(request.nextUrl.searchParams));
  return Response.json({ backups: (await listBackups(filter)).map((b) => toBackupJson(b)) });
});

// POST /api/v1/backups – back up a node; the body is the encrypted archive as it is written.
export const POST = apiRoute('backup', async (request, { principal }) => {
  const body = await jsonBody(request, '{ "node": "...", "passphrase": "..." }');
  const order = backupRequestSchema.parse(body);
  const started = await startBackup({ ...order, requestedBy: `${principal.kind}:${principal.name}` });
  return followingArchiveResponse(started.id, started.fileName, { 'X-Backup-Id': started.id });
});
