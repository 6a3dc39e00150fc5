import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { config } from '@/lib/config';
import { LifeboatError, messageOf } from '@/lib/errors';
import { ensureStore, freeBytes, inMegabytes, ROOM_MARGIN_BYTES, uploadPaths } from './archive-store';

export type Upload = { id: string; path: string; bytes: number; sha256: string };

/** Uploads received at once by this process; more wait for none of them and are refused. */
const MAX_CONCURRENT_UPLOADS = 4;
/** How often (in bytes received) the free space is looked at again: other jobs write to the same disk. */
const ROOM_CHECK_BYTES = 64 * 1024 * 1024;

let receiving = 0;

/**
 * Streams an uploaded archive to the store (never to memory); complete only once renamed. Bounded: at
 * most LIFEBOAT_MAX_UPLOAD_BYTES, never into the store's last ROOM_MARGIN_BYTES, cut when the client
 * stalls for LIFEBOAT_UPLOAD_IDLE_MS. `declaredBytes`: the Content-Length, when the body is the archive.
 */
export async function receiveUpload(body: Readable, declaredBytes?: number): Promise<Upload> {
  if (receiving >= MAX_CONCURRENT_UPLOADS) {
    throw new LifeboatError('too_many_requests', `${MAX_CONCURRENT_UPLOADS} uploads are being received: try again when one has finished`);
  }
  receiving++;
  try {
    return await receive(body, declaredBytes);
  } finally {
    receiving--;
  }
}

async function receive(body: Readable, declaredBytes: number | undefined): Promise<Upload> {
  await ensureStore();
  const tooLarge = () => new LifeboatError('too_large', `the upload is larger than ${inMegabytes(config.maxUploadBytes)} (LIFEBOAT_MAX_UPLOAD_BYTES)`);
  const noRoom = () => new LifeboatError('no_room', 'the archive store has no room for this upload: it was not kept; free some space or delete old archives');
  if (declaredBytes !== undefined && declaredBytes > config.maxUploadBytes) throw tooLarge();
  if (declaredBytes !== undefined && declaredBytes > (await freeBytes()) - ROOM_MARGIN_BYTES) throw noRoom();

  const id = `u${Date.now().toString(36)}${randomBytes(6).toString('hex')}`;
  const { part, final } = uploadPaths(id);
  const hash = createHash('sha256');
  let bytes = 0;
  let checkedAt = 0;
  const measured = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      idle.refresh();
      bytes += chunk.length;
      if (bytes > config.maxUploadBytes) return callback(tooLarge());
      hash.update(chunk);
      if (bytes - checkedAt < ROOM_CHECK_BYTES) return callback(null, chunk);
      checkedAt = bytes;
      freeBytes().then(
        (free) => (free < ROOM_MARGIN_BYTES ? callback(noRoom()) : callback(null, chunk)),
        (error) => callback(error),
      );
    },
  });
  const idle = setTimeout(
    () => measured.destroy(new LifeboatError('invalid_input', `the upload stalled: nothing arrived for ${config.uploadIdleMs / 1000} s`)),
    config.uploadIdleMs,
  );
  try {
    await pipeline(body, measured, fs.createWriteStream(part, { flags: 'wx', mode: 0o600, highWaterMark: 1024 * 1024 }));
  } catch (error) {
    await fs.promises.rm(part, { force: true });
    if (error instanceof LifeboatError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') throw noRoom();
    throw new LifeboatError('invalid_input', `the upload broke off: ${messageOf(error)}`);
  } finally {
    clearTimeout(idle);
  }
  if (bytes === 0) {
    await fs.promises.rm(part, { force: true });
    throw new LifeboatError('invalid_input', 'the uploaded archive is empty');
  }
  await fs.promises.rename(part, final);
  return { id, path: final, bytes, sha256: hash.digest('hex') };
}
