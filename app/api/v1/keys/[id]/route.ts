import { apiRoute } from '@/lib/api/route';
import { removePublicKey } from '@/lib/keys/public-keys';

// DELETE /api/v1/keys/{id} – removes a key; backups encrypted to it still open with its private key.
export const DELETE = apiRoute<{ id: string }>('manage', async (_request, { params }) => {
  await removePublicKey(params.id);
  return new Response(null, { status: 204 });
});
