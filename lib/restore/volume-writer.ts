import 'server-only';
import type { Readable } from 'node:stream';
import tar, { type Pack } from 'tar-stream';
import type { EntryVisitor } from '@/lib/archive/archive-reader';
import { addEntry, streamEntry } from '@/lib/archive/tar-entries';

/**
 * Turns the archive's checked entries into one tar per volume, as the engine's archive API takes it
 * (entries `./<path>`), and hands each to `consume`: the engine itself, or a spool that the write pass
 * replays. Each tar header is built from the checked entry alone: nothing of the archive's own
 * headers (pax records) reaches the engine.
 */
export function volumeTarWriter<T>(consume: (volume: string, tar: Readable) => Promise<T>) {
  // `failed` rejects when the consumer gives up on the volume's tar: then its error is the answer.
  let current: { volume: string; pack: Pack; consuming: Promise<T>; failed: Promise<never> } | null = null;
  const consumed: T[] = [];

  const finishCurrent = async () => {
    if (!current) return;
    current.pack.finalize();
    consumed.push(await current.consuming);
    current = null;
  };

  const visit: EntryVisitor = async ({ volume, path, entry, body }) => {
    if (current?.volume !== volume) {
      await finishCurrent();
      const pack = tar.pack();
      const consuming = consume(volume, pack as unknown as Readable);
      const failed = consuming.then(() => new Promise<never>(() => {}));
      failed.catch(() => {});
      current = { volume, pack, consuming, failed };
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
    const { pack, failed } = current;
    if (entry.type !== 'file') {
      body.resume();
      return addEntry(pack, header, undefined, failed);
    }
    await streamEntry(pack, header, body as AsyncIterable<Buffer>, undefined, failed);
  };

  /** Ends the last volume's tar; resolves with what `consume` gave for each volume, in order. */
  const finish = async () => {
    await finishCurrent();
    return consumed;
  };

  /** Abandons what is being written (the job failed). */
  const abort = (error: Error) => current?.pack.destroy(error);

  return { visit, finish, abort };
}
