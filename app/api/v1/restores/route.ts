import { readRestoreForm } from '@/lib/api/multipart-restore';
import { toRestoreJson } from '@/lib/api/restore-json';
import { apiRoute } from '@/lib/api/route';
import { authorize } from '@/lib/auth/permissions';
import { removeUpload } from '@/lib/archive/archive-store';
import { LifeboatError } from '@/lib/errors';
import { getRestore, listRestores } from '@/lib/history/restore-history';
import { startRestore } from '@/lib/restore/restore-run';
import { restoreFieldsSchema } from '@/lib/validations/restore';

// GET /api/v1/restores – restores and dry runs, newest first.
export const GET = apiRoute('read', async () => Response.json({ restores: (await listRestores()).map((r) => toRestoreJson(r)) }));

// POST /api/v1/restores – verify (dryRun=true) or restore an archive onto a node; answers when the job ends.
export const POST = apiRoute('verify', async (request, { principal }) => {
  const { fields, upload } = await readRestoreForm(request);
  let ownsUpload = false;
  try {
    const input = restoreFieldsSchema.parse(fields);
    // The route lets in whoever may verify (a dry run); writing to a node needs more.
    if (!input.dryRun) authorize(principal, 'restore');
    const sources = [input.backupId, input.uploadId, upload].filter(Boolean).length;
    if (sources === 0) throw new LifeboatError('invalid_input', 'give backupId, uploadId, or the archive as a file part named "archive"');
    if (sources > 1) throw new LifeboatError('invalid_input', 'give one archive: backupId, uploadId or a file part, not several');
    const source = input.backupId
      ? ({ kind: 'backup', backupId: input.backupId } as const)
      : input.uploadId
        ? ({ kind: 'upload', uploadId: input.uploadId, name: 'uploaded archive' } as const)
        : ({ kind: 'upload', uploadId: upload!.id, name: upload!.name } as const);
    const started = await startRestore({
      source,
      target: input.node,
      opener: input.opener,
      dryRun: input.dryRun,
      force: input.force,
      skipSafetyBackup: input.skipSafetyBackup,
      confirmOutage: input.confirmOutage,
      confirmLostQuorum: input.confirmLostQuorum,
      requestedBy: `${principal.kind}:${principal.name}`,
    });
    // A real restore removes its upload when it ends; a dry run's is removed here.
    ownsUpload = !input.dryRun;
    const outcome = await started.done;
    // A verification whose passphrase or key did not open the archive leaves no row: the error says it all.
    const row = await getRestore(started.id).catch((error) => {
      if (outcome.error) return null;
      throw error;
    });
    if (!row) return Response.json({ error: { code: outcome.error!.code, message: outcome.error!.message } }, { status: outcome.error!.status });
    const body = toRestoreJson(row);
    if (outcome.error) return Response.json({ ...body, error: { code: outcome.error.code, message: outcome.error.message } }, { status: outcome.error.status });
    return Response.json(body);
  } finally {
    if (upload && !ownsUpload) await removeUpload(upload.id);
  }
});
