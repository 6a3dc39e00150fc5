import { apiRoute } from '@/lib/api/route';
import { cancelRestore } from '@/lib/restore/restore-run';

// POST /api/v1/restores/{id}/cancel – stops a running restore: its volumes are put back from the safety
// copy if it was writing them, its containers started again, and it ends as cancelled.
export const POST = apiRoute<{ id: string }>('restore', async (_request, { params }) => {
  await cancelRestore(params.id);
  return Response.json({ id: params.id, cancelRequested: true }, { status: 202 });
});
