import 'server-only';
import { tap } from './stream-tap';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { pipeline as pipelineCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { encryptArchive, type Recipients } from '@/lib/crypto/archive-encryption';
import { noRoomOr } from './archive-store';
import type { Manifest } from './manifest';
import { writeVolumeArchive, type ArchiveSource } from './volume-archive';

const CHUNK = 1024 * 1024;

export type WrittenArchive = { plainBytes: number; encryptedBytes: number; sha256: string; manifest: Manifest };

/**
 * The write pipeline: packs `source` as the archive's tar, encrypts it to `recipients` and writes
 * it to `path` (never over an existing file; synced before the caller renames and records it).
 * `signal` cuts it short; `onEncryptedBytes` follows it.
 */
export async function writeEncryptedArchive(options: {
  source: ArchiveSource;
  recipients: Recipients;
  path: string;
  signal: AbortSignal;
  onEncryptedBytes: (total: number) => void;
}): Promise<WrittenArchive> {
  const { source, recipients, path, signal, onEncryptedBytes } = options;
  signal.throwIfAborted();
  const pack = tar.pack();
  const stop = () => pack.destroy(signal.reason);
  signal.addEventListener('abort', stop, { once: true });
  let plainBytes = 0;
  const counted = tap((chunk) => (plainBytes += chunk.length));
  const hash = createHash('sha256');
  let encryptedBytes = 0;
  const measured = tap((chunk) => {
    hash.update(chunk);
    encryptedBytes += chunk.length;
    onEncryptedBytes(encryptedBytes);
  });
  try {
    const encrypted = await encryptArchive(
      pipelineCallback(pack, counted, () => {}),
      recipients,
    );
    const writing = pipeline(encrypted, measured, fs.createWriteStream(path, { flags: 'wx', mode: 0o600, flush: true, highWaterMark: CHUNK }));
    // A write that fails (a full disk) stops taking the tar: packing would wait for room in it for ever.
    const writeFailed = writing.then(() => new Promise<never>(() => {}));
    writeFailed.catch(() => {});
    let manifest: Manifest;
    try {
      const packing = writeVolumeArchive(pack, source);
      // Once the write has failed, packing's own failure (the pack torn down) tells nothing more.
      packing.catch(() => {});
      manifest = await Promise.race([packing, writeFailed]);
      pack.finalize();
      await writing;
    } catch (error) {
      pack.destroy(error as Error);
      await writing.catch(() => {});
      throw error;
    }
    return { plainBytes, encryptedBytes, sha256: hash.digest('hex'), manifest };
  } catch (error) {
    throw signal.aborted ? signal.reason : noRoomOr(error, 'writing the archive');
  } finally {
    signal.removeEventListener('abort', stop);
  }
}
