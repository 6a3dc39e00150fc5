import { followingArchiveResponse } from '@/lib/api/archive-response';
import { toBackupJson } from '@/lib/api/backup-json';
import { jsonBody } from '@/lib/api/json-body';
import { apiRoute } from '@/lib/api/route';
import { startBackup } from '@/lib/backup/backup-run';
import { listBackups } from '@/lib/history/backup-history';
import { backupRequestSchema } from '@/lib/validations/backup';
import { historyParams, historyQuery } from '@/lib/validations/history';

// GET /api/v1/backups – the history, newest first (?node=, ?status=, ?kind=, ?from=, ?to=, ?q=, ?sort=).
export const GET = apiRoute('read', async (request) => {
  const filter = historyQuery.parse(historyParams(Object.fromEntries(request.nextUrl.searchParams)));
  return Response.json({ backups: (await listBackups(filter)).map((b) => toBackupJson(b)) });
});

// POST /api/v1/backups – back up a node; the body is the encrypted archive as it is written.
export const POST = apiRoute('backup', async (request, { principal }) => {
  const body = await jsonBody(request, '{ "node": "...", "passphrase": "..." }');
  const order = backupRequestSchema.parse(body);
  const started = await startBackup({ ...order, requestedBy: `${principal.kind}:${principal.name}` });
  return followingArchiveResponse(started.id, started.fileName, { 'X-Backup-Id': started.id });
});
