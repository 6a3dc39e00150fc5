import 'server-only';
import { messageOf } from '@/lib/errors';

/**
 * `work` every `everyMs` in the background of a server process: never overlapping itself (a slow
 * database), its failures logged, and never what keeps the process alive.
 */
export function repeat(work: () => Promise<unknown>, everyMs: number, what: string): NodeJS.Timeout {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void work()
      .catch((error) => console.error(`lifeboat: ${what}: ${messageOf(error)}`))
      .finally(() => (busy = false));
  }, everyMs);
  timer.unref();
  return timer;
}
