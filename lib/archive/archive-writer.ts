import 'server-only';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import { encryptArchiveToFile, type Recipients } from '@/lib/crypto/archive-encryption';
import { noRoomOr } from './archive-store';
import type { ManifestStore } from './manifest-stream';
import { writeVolumeArchive, type ArchiveSource, type TarSink } from './volume-archive';

export type WrittenArchive = { plainBytes: number; encryptedBytes: number; sha256: string };

/**
 * The write pipeline: packs `source` as the archive's tar, encrypts it to `recipients` and writes
 * it to `path` (never over an existing file; synced before the caller renames and records it), with
 * its manifest to `manifest`. `signal` cuts it short; `onEncryptedBytes` follows it.
 */
export async function writeEncryptedArchive(options: {
  source: ArchiveSource;
  manifest: ManifestStore;
  recipients: Recipients;
  path: string;
  signal: AbortSignal;
  onEncryptedBytes: (total: number) => void;
  /** Until it settles, the encryption takes only the CPU the host leaves idle (a backup's containers start first). */
  yieldUntil?: Promise<unknown>;
}): Promise<WrittenArchive> {
  const { source, manifest, recipients, path, signal, onEncryptedBytes, yieldUntil } = options;
  signal.throwIfAborted();
  let file: fs.FileHandle | null = null;
  try {
    file = await fs.open(path, 'wx', 0o600);
    // Worker threads encrypt, write and hash the archive: its bytes never come back to this thread.
    const { input, written, yieldCpu } = encryptArchiveToFile(recipients, file.fd, onEncryptedBytes);
    if (yieldUntil) {
      yieldCpu(true);
      const fullSpeed = () => yieldCpu(false);
      yieldUntil.then(fullSpeed, fullSpeed);
    }
    const stop = () => input.destroy(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    // Aborted while the file was opened: the listener came too late for it.
    if (signal.aborted) stop();
    // A write that fails (a full disk, a refused key) stops taking the tar: packing would wait for room in it for ever.
    const writeFailed = written.then(() => new Promise<never>(() => {}));
    writeFailed.catch(() => {});
    let plainBytes = 0;
    const sink: TarSink = {
      write: async (pieces) => {
        let room = true;
        for (const piece of pieces) {
          plainBytes += piece.length;
          room = input.write(piece);
        }
        if (!room) await Promise.race([once(input, 'drain'), writeFailed]);
      },
    };
    try {
      const packing = writeVolumeArchive(sink, source, manifest);
      // Once the write has failed, packing's own failure tells nothing more.
      packing.catch(() => {});
      await Promise.race([packing, writeFailed]);
      input.end();
      const { bytes, sha256 } = await written;
      return { plainBytes, encryptedBytes: bytes, sha256 };
    } catch (error) {
      input.destroy();
      // The file is closed only once the worker can no longer write to it.
      await written.catch(() => {});
      throw error;
    } finally {
      signal.removeEventListener('abort', stop);
    }
  } catch (error) {
    throw signal.aborted ? signal.reason : noRoomOr(error, 'writing the archive');
  } finally {
    await file?.close();
  }
}
