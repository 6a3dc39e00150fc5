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

/** Files up to this size go into a pack whole: a stream per entry costs more than its bytes (100,000 small files). */
export const WHOLE_ENTRY_BYTES = 64 * 1024;

/** A (small) entry's body, read whole. */
export async function readWhole(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

/** Adds a whole (small) entry and waits until the pack has taken it, or its consumer failed. */
export function addEntry(pack: Pack, header: EntryHeader, body?: string | Buffer, consumerFailed?: Promise<never>) {
  const added = new Promise<void>((resolve, reject) => {
    const done = (error?: Error | null) => (error ? reject(error) : resolve());
    // Directories, links and devices have no body: tar-stream closes their entry itself.
    if (body === undefined) pack.entry(header, done);
    else pack.entry(header, body, done);
  });
  return unlessFailed(added, consumerFailed);
}
