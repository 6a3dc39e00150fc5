import { Readable } from 'node:stream';
import { apiRoute } from '@/lib/api/route';
import { receiveUpload } from '@/lib/archive/uploads';
import { LifeboatError } from '@/lib/errors';

// POST /api/v1/uploads – an archive as the raw body, streamed to the store; its id then names it in a restore.
export const POST = apiRoute('verify', async (request) => {
  if (!request.body) throw new LifeboatError('invalid_input', 'send the archive as the request body');
  const length = request.headers.get('content-length');
  const upload = await receiveUpload(Readable.fromWeb(request.body as import('node:stream/web').ReadableStream<Uint8Array>), length ? Number(length) : undefined);
  return Response.json({ uploadId: upload.id, bytes: upload.bytes, sha256: upload.sha256 });
});
