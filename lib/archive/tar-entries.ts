import 'server-only';
import { once } from 'node:events';
import type { Header, Pack } from 'tar-stream';

export type EntryHeader = Partial<Header> & { name: string };

/** Waits for `step`, unless `consumerFailed` rejects first. */
function unlessFailed<T>(step: Promise<T>, consumerFailed?: Promise<never>) {
  return consumerFailed ? Promise.race([step, consumerFailed]) : step;
}

/**
 * Copies one file's body into the pack with back-pressure; on failure the half-written entry is torn
 * down. `consumerFailed` rejects when whatever reads the pack gives up: then waiting for it to drain
 * would wait forever, and its error is the answer.
 */
export async function streamEntry(pack: Pack, header: EntryHeader, body: AsyncIterable<Buffer>, onChunk: (chunk: Buffer) => void = () => {}, consumerFailed?: Promise<never>) {
  const sink = pack.entry(header);
  // Tearing the entry down tears the pack down; that failure reaches the caller through the pack's consumer.
  sink.on('error', () => {});
  try {
    for await (const chunk of body) {
      onChunk(chunk);
      if (!sink.write(chunk)) await unlessFailed(once(sink, 'drain'), consumerFailed);
    }
  } catch (error) {
    sink.destroy(error as Error);
    throw error;
  }
  const closed = once(sink, 'close');
  sink.end(null);
  await unlessFailed(closed, consumerFailed);
}

/** Adds a whole (small) entry and waits until the pack has taken it, or its consumer failed. */
export function addEntry(pack: Pack, header: EntryHeader, body?: string, consumerFailed?: Promise<never>) {
  const added = new Promise<void>((resolve, reject) => {
    const done = (error?: Error | null) => (error ? reject(error) : resolve());
    // Directories, links and devices have no body: tar-stream closes their entry itself.
    if (body === undefined) pack.entry(header, done);
    else pack.entry(header, body, done);
  });
  return unlessFailed(added, consumerFailed);
}
