import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import { liveProgress } from './job-progress';

type Options = {
  /** Whether the reader may still read (not signed out, disabled or revoked since the stream opened). */
  stillAllowed: () => Promise<boolean>;
  /** How often a page following a job hears of it: often enough for a live downtime counter. */
  everyMs?: number;
  /** How often `stillAllowed` is asked. */
  recheckMs?: number;
  /** The job's progress, or null once it has ended. */
  read?: typeof liveProgress;
};

/**
 * A running job's progress as server-sent events, read from its row (whichever process runs it): a
 * `progress` event every half second, pulled only as fast as the browser takes them, then one `end`
 * once it has ended. The stream stops when the browser goes away (`signal`), and when `stillAllowed` says
 * its reader may no longer read (asked every 10 s): the browser's retry then meets the sign-in.
 */
export function jobEvents(id: string, signal: AbortSignal, { stillAllowed, everyMs = 500, recheckMs = 10_000, read = liveProgress }: Options): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const event = (name: string, data: unknown) => encoder.encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  let first = true;
  let ended = false;
  let checkedAt = Date.now();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (ended) return controller.close();
        if (!first) await sleep(everyMs, undefined, { signal }).catch(() => {});
        first = false;
        if (signal.aborted) return controller.close();
        if (Date.now() - checkedAt >= recheckMs) {
          if (!(await stillAllowed())) return controller.close();
          checkedAt = Date.now();
        }
        const progress = await read(id);
        if (progress) return controller.enqueue(event('progress', progress));
        controller.enqueue(event('end', { id }));
        ended = true;
      },
    },
    { highWaterMark: 0 },
  );
}
