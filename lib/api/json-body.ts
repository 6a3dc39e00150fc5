import 'server-only';
import { LifeboatError } from '@/lib/errors';

/** No JSON request of Lifeboat's comes near this; a bigger body is refused before it is held. */
export const MAX_JSON_BYTES = 256 * 1024;

/** The request's JSON body; anything else is refused with what the route expects (`shape`). */
export async function jsonBody(request: Request, shape = '{ … }'): Promise<unknown> {
  const text = await boundedText(request);
  try {
    return JSON.parse(text);
  } catch {
    throw new LifeboatError('invalid_input', `the body must be JSON: ${shape}`);
  }
}

async function boundedText(request: Request): Promise<string> {
  const tooLarge = () => new LifeboatError('too_large', `the body is larger than ${MAX_JSON_BYTES / 1024} KiB`);
  if (Number(request.headers.get('content-length') ?? 0) > MAX_JSON_BYTES) throw tooLarge();
  if (!request.body) return '';
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    if (bytes > MAX_JSON_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
