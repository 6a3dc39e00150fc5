import { z } from 'zod';
import { apiRoute } from '@/lib/api/route';
import { LifeboatError } from '@/lib/errors';
import { verifyBackup } from '@/lib/restore/verify';

const bodySchema = z.object({ passphrase: z.string().min(1, "the archive's passphrase is required") });

// POST /api/v1/backups/{id}/verify – proof that a stored backup restores, without restoring it; kept on the row.
export const POST = apiRoute<{ id: string }>(async (request, { params }) => {
  const body = await request.json().catch(() => {
    throw new LifeboatError('invalid_input', 'the body must be JSON: { "passphrase": "..." }');
  });
  const { passphrase } = bodySchema.parse(body);
  return Response.json(await verifyBackup(params.id, passphrase));
});
