import 'server-only';
import { messageOf } from '@/lib/errors';

/**
 * `value` as a JSON response, with one more field whose JSON text comes in `parts` (null when there
 * are none), streamed as it is read: a manifest of 100,000 files is never parsed or held whole. The
 * status is sent first: a failure while reading cuts the body short (the client's JSON parse fails) and is logged.
 */
export function streamedJsonResponse(value: Record<string, unknown>, field: string, parts: AsyncIterable<string>): Response {
  const head = JSON.stringify(value);
  async function* text() {
    yield `${head.slice(0, -1)}${head === '{}' ? '' : ','}${JSON.stringify(field)}:`;
    let empty = true;
    for await (const part of parts) {
      if (!part) continue;
      empty = false;
      yield part;
    }
    yield empty ? 'null}' : '}';
  }
  const iterator = text();
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    pull: async (controller) => {
      try {
        const { done, value: part } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(part));
      } catch (error) {
        console.error(`lifeboat: streaming ${field} failed: ${messageOf(error)}`);
        controller.error(error);
      }
    },
    cancel: async () => void (await iterator.return(undefined)),
  });
  return new Response(body, { headers: { 'Content-Type': 'application/json' } });
}
