import 'server-only';
import fs from 'node:fs/promises';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

const CHUNK = 1024 * 1024;
const POLL_MS = 100;

/**
 * Where a backup's archive stands, as its history row says. `held`: the backup's containers are stopped
 * or starting, and readers wait until they run (the host's cores go to them first).
 */
export type ArchiveOutcome = { state: 'writing'; held?: boolean } | { state: 'stored'; bytes: number } | { state: 'failed'; reason: string };

/**
 * Follows an archive while it is written, from any process: reads the `.part` file as it grows (then the
 * archive it is renamed to), and ends only once the history says the archive is stored and every one of
 * its bytes was read. Fails when the job fails, so no client can take a truncated file for a whole one.
 * Sends nothing while the history holds readers back (a backup's containers are down or starting).
 */
export function followArchive(paths: { part: string; final: string }, outcome: () => Promise<ArchiveOutcome>): Readable {
  return Readable.from(follow(paths, outcome), { objectMode: false, highWaterMark: CHUNK });
}

async function* follow(paths: { part: string; final: string }, outcome: () => Promise<ArchiveOutcome>) {
  let handle: fs.FileHandle | null = null;
  let position = 0;
  try {
    for (;;) {
      // Asked before reading: once the history says stored, every byte is in the file.
      const now = await outcome();
      if (now.state === 'failed') throw new Error(`the backup failed: ${now.reason}`);
      if (!(now.state === 'writing' && now.held)) {
        handle ??= (await open(paths.part)) ?? (await open(paths.final));
        for (let chunk; handle && (chunk = await readChunk(handle, position));) {
          position += chunk.length;
          yield chunk;
        }
      }
      if (now.state === 'stored' && handle) {
        if (position === now.bytes) return;
        throw new Error(`the archive has ${position} bytes, not the ${now.bytes} the history records`);
      }
      // Still written (the rename and the record come last), held back, or not yet opened: look again shortly.
      await sleep(POLL_MS);
    }
  } finally {
    await handle?.close();
  }
}

/** The next bytes of `handle` from `position`, or null at its end for now. */
async function readChunk(handle: fs.FileHandle, position: number) {
  const buffer = Buffer.allocUnsafe(CHUNK);
  const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
  return bytesRead > 0 ? buffer.subarray(0, bytesRead) : null;
}

async function open(path: string) {
  return fs.open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
}
