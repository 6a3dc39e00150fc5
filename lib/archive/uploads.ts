import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LifeboatError, messageOf } from '@/lib/errors';
import { ensureStore, uploadPaths } from './archive-store';

export type Upload = { id: string; path: string; bytes: number; sha256: string };

const MAX_UPLOAD_BYTES = 64 * 1024 ** 3;

/** Streams an uploaded archive to the store (never to memory); complete only once renamed. */
export async function receiveUpload(body: Readable): Promise<Upload> {
  await ensureStore();
  const id = `u${Date.now().toString(36)}${randomBytes(6).toString('hex')}`;
  const { part, final } = uploadPaths(id);
  const hash = createHash('sha256');
  let bytes = 0;
  const measured = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > MAX_UPLOAD_BYTES) return callback(new LifeboatError('invalid_input', 'the upload is larger than 64 GiB'));
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(body, measured, fs.createWriteStream(part, { flags: 'wx', mode: 0o600, highWaterMark: 1024 * 1024 }));
  } catch (error) {
    await fs.promises.rm(part, { force: true });
    if (error instanceof LifeboatError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') throw new LifeboatError('no_room', 'the archive store is full: the upload was not kept');
    throw new LifeboatError('invalid_input', `the upload broke off: ${messageOf(error)}`);
  }
  if (bytes === 0) {
    await fs.promises.rm(part, { force: true });
    throw new LifeboatError('invalid_input', 'the uploaded archive is empty');
  }
  await fs.promises.rename(part, final);
  return { id, path: final, bytes, sha256: hash.digest('hex') };
}
