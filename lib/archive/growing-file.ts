import 'server-only';
import { EventEmitter, once } from 'node:events';
import fs from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';

const CHUNK = 1024 * 1024;

/**
 * A file written once, front to back, that readers may follow while it grows: a download that starts
 * before the archive is complete. Readers end only when the owner declares the file complete (after
 * the writer finished and the job recorded it), and fail when it fails, so a reader never mistakes a
 * truncated file for a whole one.
 */
export class GrowingFile {
  private written = 0;
  private state: 'writing' | 'written' | 'complete' | 'failed' = 'writing';
  private failure: Error | null = null;
  private readonly changes = new EventEmitter().setMaxListeners(0);
  private readonly opened: Promise<void>;
  private markOpened!: (error?: Error) => void;

  constructor(private currentPath: string) {
    this.opened = new Promise((resolve, reject) => {
      this.markOpened = (error) => (error ? reject(error) : resolve());
    });
    this.opened.catch(() => {});
  }

  get path() {
    return this.currentPath;
  }

  /** Renames the file; readers that open it later find it at its new place. */
  async moveTo(destination: string) {
    if (this.state === 'failed') throw new Error('a failed file cannot be moved');
    await fs.rename(this.currentPath, destination);
    this.currentPath = destination;
  }

  /** The owner's word that the file is whole and recorded: followers may end. */
  complete() {
    if (this.state !== 'written') throw new Error('the file is not fully written');
    this.state = 'complete';
    this.changes.emit('change');
  }

  /** Marks the file failed: followers error out. Idempotent; a complete file stays complete. */
  fail(error: Error) {
    if (this.state === 'complete' || this.state === 'failed') return;
    this.state = 'failed';
    this.failure = error;
    this.markOpened(error);
    this.changes.emit('change');
  }

  /** The one writer: creates the file (mode 0600, never over an existing one) and syncs it at the end. */
  writer(): Writable {
    let handle: fs.FileHandle | undefined;
    return new Writable({
      highWaterMark: CHUNK,
      construct: (callback) => {
        fs.open(this.currentPath, 'wx', 0o600).then(
          (opened) => {
            handle = opened;
            this.markOpened();
            callback();
          },
          (error) => {
            this.fail(error);
            callback(error);
          },
        );
      },
      writev: (chunks, callback) => {
        writeAll(handle!, chunks.map((c) => c.chunk as Buffer)).then((bytes) => {
          this.written += bytes;
          this.changes.emit('change');
          callback();
        }, callback);
      },
      final: (callback) => {
        handle!.sync().then(() => {
          if (this.state === 'writing') this.state = 'written';
          callback();
        }, callback);
      },
      destroy: (error, callback) => {
        if (this.state === 'writing') this.fail(error ?? new Error('the archive writer stopped before the end'));
        (handle ? handle.close() : Promise.resolve()).then(
          () => callback(error),
          () => callback(error),
        );
      },
    });
  }

  /** Reads from `start` to the end, waiting for the writer when it catches up. */
  follow(start = 0): Readable {
    let handle: fs.FileHandle | undefined;
    let position = start;
    const stopWaiting = new AbortController();
    const next = async (): Promise<Buffer | null> => {
      for (;;) {
        if (position < this.written) {
          const buffer = Buffer.allocUnsafe(Math.min(CHUNK, this.written - position));
          const { bytesRead } = await handle!.read(buffer, 0, buffer.length, position);
          position += bytesRead;
          return buffer.subarray(0, bytesRead);
        }
        if (this.state === 'complete') return null;
        if (this.state === 'failed') throw this.failure;
        await once(this.changes, 'change', { signal: stopWaiting.signal });
      }
    };
    const reader: Readable = new Readable({
      highWaterMark: CHUNK,
      construct: (callback) => {
        this.opened
          .then(() => fs.open(this.currentPath, 'r'))
          .then((opened) => {
            handle = opened;
            callback();
          }, callback);
      },
      read: () => {
        next().then(
          (chunk) => reader.push(chunk),
          (error) => {
            if (!stopWaiting.signal.aborted) reader.destroy(error);
          },
        );
      },
      destroy: (error, callback) => {
        stopWaiting.abort();
        (handle ? handle.close() : Promise.resolve()).then(
          () => callback(error),
          () => callback(error),
        );
      },
    });
    return reader;
  }
}

async function writeAll(handle: fs.FileHandle, chunks: Buffer[]) {
  let total = 0;
  let pending = chunks;
  while (pending.length) {
    const { bytesWritten } = await handle.writev(pending);
    total += bytesWritten;
    pending = skipBytes(pending, bytesWritten);
  }
  return total;
}

function skipBytes(chunks: Buffer[], count: number): Buffer[] {
  let left = count;
  const rest: Buffer[] = [];
  for (const chunk of chunks) {
    if (left >= chunk.length) {
      left -= chunk.length;
      continue;
    }
    rest.push(left > 0 ? chunk.subarray(left) : chunk);
    left = 0;
  }
  return rest;
}
