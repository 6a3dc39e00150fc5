import 'server-only';
import fs from 'node:fs';
import { pipeline as pipelineCallback, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { newSpoolIv, spoolDecryptor, spoolEncryptor } from '@/lib/crypto/spool-cipher';

/** One volume's tar as the engine gave it, encrypted on disk with the job's throwaway key. */
export type SpooledTar = { volume: string; path: string; iv: Buffer; bytes: number };

const CHUNK = 1024 * 1024;

/**
 * Copies `source` (an engine's tar of one volume) into `path` at the engine's speed: the only work
 * done while UCP is stopped. Never writes over an existing file.
 */
export async function spoolTar(volume: string, source: Readable, path: string, key: Buffer, onBytes: (n: number) => void): Promise<SpooledTar> {
  const iv = newSpoolIv();
  let bytes = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      onBytes(chunk.length);
      callback(null, chunk);
    },
  });
  await pipeline(source, counted, spoolEncryptor(key, iv), fs.createWriteStream(path, { flags: 'wx', mode: 0o600, highWaterMark: CHUNK }));
  return { volume, path, iv, bytes };
}

/** The spooled tar, decrypted as it is read; a read error fails the returned stream. */
export function readSpooledTar(spooled: Pick<SpooledTar, 'path' | 'iv'>, key: Buffer): Readable {
  return pipelineCallback(fs.createReadStream(spooled.path, { highWaterMark: CHUNK }), spoolDecryptor(key, spooled.iv), () => {});
}

/** A spool to write into: what goes into `input` lands encrypted in `path`; `done` settles when it is all there. */
export function spoolWriter(path: string, key: Buffer): { input: Transform; iv: Buffer; done: Promise<void> } {
  const iv = newSpoolIv();
  const input = spoolEncryptor(key, iv);
  const done = pipeline(input, fs.createWriteStream(path, { flags: 'wx', mode: 0o600, highWaterMark: CHUNK }));
  done.catch(() => {});
  return { input, iv, done };
}
