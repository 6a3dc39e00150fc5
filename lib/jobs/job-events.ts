import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import { liveProgress } from './job-progress';

/** How often a page following a job hears of it: often enough for a live downtime counter. */
const EVERY_MS = 500;

/**
 * A running job's progress as server-sent events, read from its row (whichever process runs it): a
 * `progress` event every half second, pulled only as fast as the browser takes them, then one `end`
 * once it has ended. The stream stops when the browser goes away (`signal`).
 */
export function jobEvents(id: string, signal: AbortSignal): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const event = (name: string, data: unknown) => encoder.encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  let first = true;
  let ended = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (ended) return controller.close();
        if (!first) await sleep(EVERY_MS, undefined, { signal }).catch(() => {});
        first = false;
        if (signal.aborted) return controller.close();
        const progress = await liveProgress(id);
        if (progress) return controller.enqueue(event('progress', progress));
        controller.enqueue(event('end', { id }));
        ended = true;
      },
    },
    { highWaterMark: 0 },
  );
}
