import { jsonBody } from '@/lib/api/json-body';
import { apiRoute } from '@/lib/api/route';
import { verifyBackup } from '@/lib/restore/verify';
import { verifyRequestSchema } from '@/lib/validations/opener';

// POST /api/v1/backups/{id}/verify – proof that a stored backup restores, without restoring it; kept on the row.
export const POST = apiRoute<{ id: string }>('verify', async (request, { params }) => {
  const body = await jsonBody(request, '{ "passphrase": "..." } or { "privateKey": "-----BEGIN PGP PRIVATE KEY BLOCK-----…", "privateKeyPassphrase": "..." }');
  return Response.json(await verifyBackup(params.id, verifyRequestSchema.parse(body)));
});
