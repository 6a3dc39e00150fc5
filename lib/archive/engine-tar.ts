import 'server-only';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar, { type Header } from 'tar-stream';
import type { EntryType, ManifestEntry } from './manifest';

/** One entry of the engine's tar of a volume: where it is in the volume, what the manifest says of it, its body. */
export type EngineTarEntry = { path: string; entry: ManifestEntry; header: Header; body: Readable };

/**
 * The entries of the engine's tar of one volume (entries `<volume>/…`), as paths inside the volume
 * (the volume's own directory is ''), one at a time: each body must be consumed before the next comes.
 */
export async function* engineTarEntries(volume: string, engineTar: Readable): AsyncGenerator<EngineTarEntry> {
  const extract = tar.extract();
  const feeding = pipeline(engineTar, extract);
  try {
    for await (const body of extract) {
      const header = body.header;
      const path = relativeToVolume(volume, header.name);
      const type: EntryType = header.type === 'contiguous-file' ? 'file' : (header.type as EntryType);
      // A tar header keeps whole seconds: the manifest says what the archive holds.
      const mtime = new Date(Math.floor((header.mtime ?? new Date(0)).getTime() / 1000) * 1000);
      const entry: ManifestEntry = {
        path,
        type,
        size: header.size ?? 0,
        // The engine's modes carry file-type bits; a tar header keeps the permission bits.
        mode: (header.mode ?? 0) & 0o7777,
        uid: header.uid ?? 0,
        gid: header.gid ?? 0,
        mtime: mtime.toISOString(),
      };
      if (type === 'symlink') entry.linkname = header.linkname ?? '';
      if (type === 'link') entry.linkname = relativeToVolume(volume, header.linkname ?? '');
      yield { path, entry, header, body: body as unknown as Readable };
    }
    await feeding;
  } catch (error) {
    engineTar.destroy();
    await feeding.catch(() => {});
    throw error;
  } finally {
    // A consumer that stopped early (a `return` from its loop) leaves the engine's stream: close it.
    if (!engineTar.readableEnded) engineTar.destroy();
    await feeding.catch(() => {});
  }
}

/** An entry's path inside the volume `volume`, from its name in the engine's tar of it ('' for the volume's own directory). */
export function relativeToVolume(volume: string, name: string) {
  const trimmed = name.replace(/\/+$/, '');
  if (trimmed === volume) return '';
  if (!trimmed.startsWith(`${volume}/`)) throw new Error(`the engine's tar of ${volume} holds an entry outside it: ${name}`);
  return trimmed.slice(volume.length + 1);
}
