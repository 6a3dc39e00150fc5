import 'server-only';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import tar, { type Pack } from 'tar-stream';
import type { EntryVisitor } from '@/lib/archive/archive-reader';
import type { Engine } from '@/lib/docker/engine';

/**
 * Writes the archive's entries into the node's volumes through the engine's archive API: one tar per
 * volume, PUT into a never-started helper that mounts each volume at /lifeboat/<name>. The volumes
 * were emptied first, so each becomes exactly the backup's. Each tar header is built from the checked
 * entry alone: nothing of the archive's own headers (pax records) reaches the engine.
 */
export function volumeWriter(engine: Engine, writerId: string, signal: AbortSignal) {
  let current: { volume: string; pack: Pack; putting: Promise<void>; failed: Promise<never> } | null = null;

  const finishCurrent = async () => {
    if (!current) return;
    current.pack.finalize();
    await current.putting;
    current = null;
  };

  /** Waits for `step`, unless the engine gives up on the volume's tar first: then its error is the answer. */
  const unlessEngineFails = async <T>(step: Promise<T>) => Promise.race([step, current!.failed]);

  const visit: EntryVisitor = async ({ volume, path, entry, body }) => {
    if (current?.volume !== volume) {
      await finishCurrent();
      const pack = tar.pack();
      const putting = engine.writeArchive(writerId, `/lifeboat/${volume}`, pack as unknown as Readable, signal);
      const failed = putting.then(() => new Promise<never>(() => {}));
      failed.catch(() => {});
      current = { volume, pack, putting, failed };
    }
    const header = {
      name: path ? `./${path}${entry.type === 'directory' ? '/' : ''}` : './',
      type: entry.type,
      mode: entry.mode,
      uid: entry.uid,
      gid: entry.gid,
      mtime: new Date(entry.mtime),
      size: entry.type === 'file' ? entry.size : 0,
      linkname: entry.type === 'link' ? `./${entry.linkname}` : entry.type === 'symlink' ? entry.linkname : undefined,
    };
    const { pack } = current;
    if (entry.type !== 'file') {
      body.resume();
      await unlessEngineFails(new Promise<void>((resolve, reject) => pack.entry(header, (error) => (error ? reject(error) : resolve()))));
      return;
    }
    const sink = pack.entry(header);
    sink.on('error', () => {});
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (!sink.write(chunk)) await unlessEngineFails(once(sink, 'drain'));
    }
    const closed = once(sink, 'close');
    sink.end(null);
    await unlessEngineFails(closed);
  };

  /** Ends the last volume's tar and waits for the engine to take it. */
  const finish = finishCurrent;

  /** Abandons what is being written (the job failed). */
  const abort = (error: Error) => current?.pack.destroy(error);

  return { visit, finish, abort };
}
