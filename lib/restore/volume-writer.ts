import 'server-only';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import tar, { type Pack } from 'tar-stream';
import type { EntryVisitor } from '@/lib/archive/archive-reader';
import type { Engine } from '@/lib/docker/engine';

/**
 * Writes the archive's entries into the node's volumes through the engine's archive API: one tar per
 * volume, PUT into a never-started helper that mounts each volume at /lifeboat/<name>. The volumes
 * were emptied first, so each becomes exactly the backup's.
 */
export function volumeWriter(engine: Engine, writerId: string, signal: AbortSignal) {
  let current: { volume: string; pack: Pack; putting: Promise<void> } | null = null;

  const finishCurrent = async () => {
    if (!current) return;
    current.pack.finalize();
    await current.putting;
    current = null;
  };

  const visit: EntryVisitor = async ({ volume, path, header, body }) => {
    if (current?.volume !== volume) {
      await finishCurrent();
      const pack = tar.pack();
      const putting = engine.writeArchive(writerId, `/lifeboat/${volume}`, pack as unknown as Readable, signal);
      putting.catch(() => {});
      current = { volume, pack, putting };
    }
    const name = path ? `./${path}${header.type === 'directory' ? '/' : ''}` : './';
    const linkname = header.type === 'link' ? `./${header.linkname}` : header.linkname;
    const { pack } = current;
    if (header.type !== 'file') {
      body.resume();
      await new Promise<void>((resolve, reject) => pack.entry({ ...header, name, linkname, size: 0 }, (error) => (error ? reject(error) : resolve())));
      return;
    }
    const sink = pack.entry({ ...header, name, linkname: undefined });
    sink.on('error', () => {});
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (!sink.write(chunk)) await once(sink, 'drain');
    }
    const closed = once(sink, 'close');
    sink.end(null);
    await closed;
  };

  /** Ends the last volume's tar and waits for the engine to take it. */
  const finish = finishCurrent;

  /** Abandons what is being written (the job failed). */
  const abort = (error: Error) => current?.pack.destroy(error);

  return { visit, finish, abort };
}
