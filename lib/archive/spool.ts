import 'server-only';
import { tap } from './stream-tap';
import fs from 'node:fs';
import { pipeline as pipelineCallback, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { newSpoolIv, spoolOpener, spoolSealer } from '@/lib/crypto/spool-cipher';
import { engineError } from '@/lib/docker/engine-error';
import type { Engine } from '@/lib/docker/engine';
import { LifeboatError } from '@/lib/errors';
import { noRoomOr } from './archive-store';

/** One volume's tar, encrypted and authenticated on disk with the job's throwaway key. */
export type SpooledTar = { volume: string; path: string; iv: Buffer; records: number; bytes: number };

const CHUNK = 1024 * 1024;

/**
 * The engine's tar of each volume, one after the other, from the helper `helperId` (which mounts them
 * at /lifeboat/<volume>), each handed to `take` until it has consumed it. A failure says whether the
 * engine's stream broke or what took it (a full data directory).
 */
export async function readVolumes<T>(
  { engine, helperId, volumes, signal, onVolume }: { engine: Engine; helperId: string; volumes: string[]; signal: AbortSignal; onVolume?: (volume: string, index: number) => void },
  take: (engineTar: Readable, volume: string, index: number) => Promise<T>,
): Promise<T[]> {
  const taken: T[] = [];
  for (const [index, volume] of volumes.entries()) {
    onVolume?.(volume, index);
    const engineTar = await engine.readArchive(helperId, `/lifeboat/${volume}`, signal, `reading volume ${volume}`);
    let engineFailure: unknown = null;
    engineTar.once('error', (error) => (engineFailure ??= error));
    try {
      taken.push(await take(engineTar, volume, index));
    } catch (error) {
      // A full data directory fails the spool, which then fails the engine's stream too: the spool's error says it.
      if (error instanceof LifeboatError && error.code === 'no_room') throw error;
      // Else say it was the engine's stream that broke, not the spool.
      if (engineFailure instanceof LifeboatError) throw engineFailure;
      throw engineFailure ? engineError(engine.name, `reading volume ${volume}`, engineFailure, 0) : error;
    }
  }
  return taken;
}

/** `readVolumes` into spools, each (when `durable`) synced to disk before the next starts. */
export function spoolVolumes(options: {
  engine: Engine;
  helperId: string;
  volumes: string[];
  pathOf: (index: number) => string;
  key: Buffer;
  signal: AbortSignal;
  durable?: boolean;
  onVolume?: (volume: string, index: number) => void;
  onBytes?: (n: number) => void;
}): Promise<SpooledTar[]> {
  const { pathOf, key, durable, onBytes } = options;
  return readVolumes(options, (engineTar, volume, index) => spoolTar(volume, engineTar, pathOf(index), key, { onBytes, durable }));
}

/**
 * Copies `source` (a tar of one volume) into `path` as fast as it comes: a backup's engine read, while
 * UCP is stopped, or a restore's volume tars, packed during verification. Never writes over an existing file.
 */
export async function spoolTar(
  volume: string,
  source: Readable,
  path: string,
  key: Buffer,
  { onBytes = () => {}, durable = false }: { onBytes?: (n: number) => void; durable?: boolean } = {},
): Promise<SpooledTar> {
  const iv = newSpoolIv();
  let bytes = 0;
  const counted = tap((chunk) => {
    bytes += chunk.length;
    onBytes(chunk.length);
  });
  const sealer = spoolSealer(key, iv);
  await pipeline(source, counted, sealer, fs.createWriteStream(path, { flags: 'wx', mode: 0o600, highWaterMark: CHUNK, flush: durable })).catch((error) => {
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
