import 'server-only';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { freeBytes, inMegabytes, ROOM_MARGIN_BYTES, spoolPath } from '@/lib/archive/archive-store';
import type { VolumeEntry } from '@/lib/archive/archive-reader';
import { visitEngineTar } from '@/lib/archive/engine-tar';
import { readSpooledTar, spoolVolumes, type SpooledTar } from '@/lib/archive/spool';
import type { Engine } from '@/lib/docker/engine';
import { LifeboatError } from '@/lib/errors';
import { helperImageId } from '@/lib/docker/helper-image';
import { serverKey } from '@/lib/secrets/sealed-box';
import { emptyVolumes, setVolumeRoots, volumeTarWriter, WRITE_PATH, type VolumeRoot } from './volume-writer';

/**
 * How to put a restore's target back as it was, recorded before its first byte is written: the safety
 * copy of each volume it replaces (null when skipped) and the volumes it creates.
 */
export type Undo = {
  replaced: string[];
  created: string[];
  copies: { volume: string; path: string; iv: string; records: number; bytes: number }[] | null;
};

/**
 * The safety copy is spooled under a key of the server's own (from LIFEBOAT_SECRET, or the data
 * directory's key): whichever process takes the job over after a crash can read it, without the passphrase.
 */
function copyKey(restoreId: string) {
  return serverKey(`safety-copy:${restoreId}`);
}

/**
 * Copies the volumes the restore replaces, as the engine has them, into durable spools: taken with the
 * restore's containers already stopped (one outage, a consistent copy). Read through a read-only helper.
 */
export async function takeSafetyCopy(engine: Engine, restoreId: string, volumes: string[], signal: AbortSignal, onBytes: (n: number) => void) {
  const readerId = await engine.createVolumeReader(await helperImageId(engine), volumes, restoreId);
  try {
    const spooled = await spoolVolumes({
      engine,
      helperId: readerId,
      volumes,
      pathOf: (index) => spoolPath(restoreId, `undo-${index}`),
      key: copyKey(restoreId),
      signal,
      durable: true,
      onBytes,
    });
    return spooled.map(({ volume, path, iv, records, bytes }) => ({ volume, path, iv: iv.toString('hex'), records, bytes }));
  } finally {
    await engine.removeContainer(readerId).catch(() => {});
  }
}

/** A volume of the safety copy, decrypted as it is read (the engine's tar of it, entries `<volume>/…`). */
export function readSafetyCopy(restoreId: string, copy: NonNullable<Undo['copies']>[number]): Readable {
  const spooled: Pick<SpooledTar, 'path' | 'iv' | 'records'> = { path: copy.path, iv: Buffer.from(copy.iv, 'hex'), records: copy.records };
  return readSpooledTar(spooled, copyKey(restoreId));
}

/**
 * Makes the target's volumes exactly what the safety copy holds again, with whatever used them stopped:
 * the job's helpers go, each replaced volume is emptied and written from its copy (every record
 * authenticated before its bytes reach the engine), and the volumes the restore created are removed.
 * Safe to run again after it failed halfway.
 */
export async function putBackSafetyCopy(engine: Engine, restoreId: string, undo: Undo & { copies: NonNullable<Undo['copies']> }, signal: AbortSignal) {
  await Promise.all((await engine.helperContainers(restoreId)).map((helper) => engine.removeContainer(helper)));
  if (undo.replaced.length) {
    const writerId = await engine.createVolumeWriter(await helperImageId(engine), undo.replaced, restoreId);
    try {
      await emptyVolumes(engine, undo.replaced, restoreId);
      const roots: VolumeRoot[] = [];
      const writer = volumeTarWriter((volume, tar) => engine.writeArchive(writerId, WRITE_PATH, tar, signal, `putting ${volume} back`));
      try {
        const visitor = {
          ...writer.visitor,
          entry: (entry: VolumeEntry) => {
            if (entry.path === '') roots.push(entry);
            writer.visitor.entry(entry);
          },
        };
        for (const copy of undo.copies) await visitEngineTar(copy.volume, readSafetyCopy(restoreId, copy), visitor);
        await writer.finish();
      } catch (error) {
        await writer.abort(error as Error);
        throw error;
      }
      await setVolumeRoots(engine, roots, restoreId);
    } finally {
      await engine.removeContainer(writerId).catch(() => {});
    }
  }
  for (const volume of undo.created) await engine.removeVolume(volume);
}

/** Reads the whole safety copy, authenticating every record: fails if any spool was changed, cut or removed. */
export async function checkSafetyCopy(restoreId: string, copies: NonNullable<Undo['copies']>) {
  for (const copy of copies) {
    const reading = readSafetyCopy(restoreId, copy);
    reading.resume();
    await finished(reading);
  }
}

/**
 * Refuses, before anything stops, a safety copy the data directory has no room for: its spools, and the
 * safety backup made of them once the restore succeeded, each about the volumes' size.
 */
export async function refuseWithoutRoomForCopy(engine: Engine, volumes: string[]) {
  const sizes = await engine.volumeSizes();
  const held = volumes.reduce((sum, v) => sum + (sizes.get(v) ?? 0), 0);
  const needed = 2 * held + ROOM_MARGIN_BYTES;
  const free = await freeBytes();
  if (free < needed) {
    throw new LifeboatError(
      'no_room',
      `the archive store has ${inMegabytes(free)} free; the safety copy of the volumes this restore replaces needs about ${inMegabytes(needed)} (they hold ${inMegabytes(held)}): free some space or delete old archives`,
    );
  }
}
