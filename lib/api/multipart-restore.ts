import 'server-only';
import busboy from 'busboy';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { receiveUpload, type Upload } from '@/lib/archive/uploads';
import { LifeboatError, messageOf } from '@/lib/errors';

/**
 * Reads a multipart restore request as a stream: the fields, then the `archive` file part (sent last),
 * which goes straight to the upload store. Nothing is held in memory but the small fields.
 */
export async function readRestoreForm(request: Request): Promise<{ fields: Record<string, string>; upload: (Upload & { name: string }) | null }> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.startsWith('multipart/form-data') || !request.body) {
    throw new LifeboatError(
      'invalid_input',
      'send multipart/form-data: node, passphrase (or privateKey and privateKeyPassphrase), dryRun, and backupId or a file part "archive" (last)',
    );
  }
  const fields: Record<string, string> = {};
  let upload: Promise<Upload & { name: string }> | null = null;
  const parser = busboy({ headers: { 'content-type': type }, limits: { fields: 20, fieldSize: 64 * 1024, files: 1 } });
  parser.on('field', (name, value, info) => {
    // busboy cuts a long field short without a word: an armored key cut short must not look like another key.
    if (info.valueTruncated) return void parser.destroy(new LifeboatError('invalid_input', `the field ${name} is longer than 64 KiB`));
    fields[name] = value;
  });
  parser.on('file', (name, stream, info) => {
    if (name !== 'archive') return void stream.resume();
    upload = receiveUpload(stream).then((received) => ({ ...received, name: info.filename || 'uploaded archive' }));
    // If the store fails the upload, busboy would wait for the file stream forever: stop parsing.
    upload.catch((error) => parser.destroy(error));
  });
  try {
    await pipeline(Readable.fromWeb(request.body as import('node:stream/web').ReadableStream<Uint8Array>), parser);
  } catch (error) {
    if (error instanceof LifeboatError) throw error;
    throw new LifeboatError('invalid_input', `the request body broke off or is not valid multipart: ${messageOf(error)}`);
  }
  return { fields, upload: upload ? await upload : null };
}
