import { apiRoute } from '@/lib/api/route';
import { LifeboatError } from '@/lib/errors';
import { verifyBackup } from '@/lib/restore/verify';
import { verifyRequestSchema } from '@/lib/validations/opener';

// POST /api/v1/backups/{id}/verify – proof that a stored backup restores, without restoring it; kept on the row.
export const POST = apiRoute<{ id: string }>(async (request, { params }) => {
  const body = await request.json().catch(() => {
    throw new LifeboatError(
      'invalid_input',
      'the body must be JSON: { "passphrase": "..." } or { "privateKey": "-----BEGIN PGP PRIVATE KEY BLOCK-----…", "privateKeyPassphrase": "..." }',
    );
  });
  return Response.json(await verifyBackup(params.id, verifyRequestSchema.parse(body)));
});
