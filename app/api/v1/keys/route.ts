import { toPublicKeyJson } from '@/lib/api/public-key-json';
import { jsonBody } from '@/lib/api/json-body';
import { apiRoute } from '@/lib/api/route';
import { importPublicKey, listPublicKeys } from '@/lib/keys/public-keys';
import { publicKeyImportSchema } from '@/lib/validations/public-key';

// GET /api/v1/keys – the public keys backups can be encrypted to.
export const GET = apiRoute('read', async () => Response.json({ keys: (await listPublicKeys()).map(toPublicKeyJson) }));

// POST /api/v1/keys – imports an armored public key: { "armored": "-----BEGIN PGP PUBLIC KEY BLOCK-----…" }.
export const POST = apiRoute('manage', async (request, { principal }) => {
  const body = await jsonBody(request, '{ "armored": "-----BEGIN PGP PUBLIC KEY BLOCK-----…" }');
  const { armored } = publicKeyImportSchema.parse(body);
  return Response.json(toPublicKeyJson(await importPublicKey(armored, `${principal.kind}:${principal.name}`)), { status: 201 });
});
