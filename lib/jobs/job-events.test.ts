import { describe, expect, it } from 'vitest';
import { jobEvents } from './job-events';
import type { LiveProgress } from './job-progress';

/** A job that runs for `steps` reads, then ends. */
function jobOf(steps: number) {
  let reads = 0;
  return async (): Promise<LiveProgress | null> => (++reads <= steps ? ({ state: 'copying', bytesRead: reads } as LiveProgress) : null);
}

async function eventsOf(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const text = await new Response(stream).text();
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((e) => e.split('\n')[0].replace('event: ', ''));
}

describe('jobEvents', () => {
  it('sends the progress while the job runs, then one end, and closes', async () => {
    const stream = jobEvents('j1', new AbortController().signal, { stillAllowed: async () => true, everyMs: 1, read: jobOf(3) });
    expect(await eventsOf(stream)).toEqual(['progress', 'progress', 'progress', 'end']);
  });

  it('closes without an end once its reader may no longer read, asking at each recheck', async () => {
    let asked = 0;
    // Asked at every event (recheckMs 0): allowed for the first, refused at the second.
    const stillAllowed = async () => ++asked < 2;
    const stream = jobEvents('j1', new AbortController().signal, { stillAllowed, everyMs: 1, recheckMs: 0, read: jobOf(1000) });
    expect(await eventsOf(stream)).toEqual(['progress']);
    expect(asked).toBe(2);
  });

  it('closes when the browser goes away', async () => {
    const away = new AbortController();
    const stream = jobEvents('j1', away.signal, { stillAllowed: async () => true, everyMs: 5, read: jobOf(1000) });
    const reader = stream.getReader();
    expect((await reader.read()).done).toBe(false);
    away.abort();
    expect((await reader.read()).done).toBe(true);
  });
});
