import { apiRoute } from '@/lib/api/route';
import { requestCancel } from '@/lib/jobs/job-cancel';

// POST /api/v1/backups/{id}/cancel – stops a running backup; its node is put back as it was, and it ends as cancelled.
export const POST = apiRoute<{ id: string }>('backup', async (_request, { params }) => {
  await requestCancel('backup', params.id);
  return Response.json({ id: params.id, cancelRequested: true }, { status: 202 });
});
