import 'server-only';
import fs from 'node:fs';
import { pipeline as pipelineCallback, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { newSpoolIv, spoolOpener, spoolSealer } from '@/lib/crypto/spool-cipher';
import { noRoomOr } from './archive-store';

/** One volume's tar, encrypted and authenticated on disk with the job's throwaway key. */
export type SpooledTar = { volume: string; path: string; iv: Buffer; records: number; bytes: number };

const CHUNK = 1024 * 1024;

/**
 * Copies `source` (a tar of one volume) into `path` as fast as it comes: a backup's engine read, while
 * UCP is stopped, or a restore's volume tars, packed during verification. Never writes over an existing file.
 */
export async function spoolTar(volume: string, source: Readable, path: string, key: Buffer, onBytes: (n: number) => void = () => {}): Promise<SpooledTar> {
  const iv = newSpoolIv();
  let bytes = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      onBytes(chunk.length);
      callback(null, chunk);
    },
  });
  const sealer = spoolSealer(key, iv);
  await pipeline(source, counted, sealer, fs.createWriteStream(path, { flags: 'wx', mode: 0o600, highWaterMark: CHUNK })).catch((error) => {
    throw noRoomOr(error, `spooling ${volume}`);
  });
  return { volume, path, iv, records: sealer.records(), bytes };
}

/**
 * The spooled tar, decrypted as it is read: no byte of a record comes out before the record is
 * authenticated; fails at the first record that was changed, at the end if records were cut or added,
 * or on a read error.
 */
export function readSpooledTar(spooled: Pick<SpooledTar, 'path' | 'iv' | 'records'>, key: Buffer): Readable {
  return pipelineCallback(fs.createReadStream(spooled.path, { highWaterMark: CHUNK }), spoolOpener(key, spooled.iv, spooled.records), () => {});
}
