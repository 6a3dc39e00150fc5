import 'server-only';
import type { Readable } from 'node:stream';
import type { ArchiveVisitor } from './archive-reader';
import { manifestEntry, type ManifestEntry } from './manifest';
import { TarReader, type TarHeader } from './tar-format';

/** An entry's path inside the volume `volume`, from its name in the engine's tar of it ('' for the volume's own directory). */
export function relativeToVolume(volume: string, name: string) {
  const trimmed = name.replace(/\/+$/, '');
  if (trimmed === volume) return '';
  if (!trimmed.startsWith(`${volume}/`)) throw new Error(`the engine's tar of ${volume} holds an entry outside it: ${name}`);
  return trimmed.slice(volume.length + 1);
}

/** What the manifest says of an entry of the engine's tar of `volume`: its path in the volume, and links as the volume sees them. */
export function engineEntry(volume: string, header: TarHeader): ManifestEntry {
  return manifestEntry(header, relativeToVolume(volume, header.name), (target) => relativeToVolume(volume, target));
}

/**
 * Hands every entry of the engine's tar of `volume` (entries `<volume>/…`) to `visitor`, chunk by
 * chunk, waiting on its `flush` after each. Closes the engine's stream if anything fails.
 */
export async function visitEngineTar(volume: string, engineTar: Readable, visitor: ArchiveVisitor) {
  const reader = new TarReader({
    entry: (header) => {
      const entry = engineEntry(volume, header);
      visitor.entry({ volume, path: entry.path, entry });
    },
    body: visitor.body,
    entryEnd: visitor.entryEnd,
  });
  try {
    for await (const chunk of engineTar as AsyncIterable<Buffer>) {
      reader.push(chunk);
      await visitor.flush();
    }
    reader.end();
  } finally {
    if (!engineTar.readableEnded) engineTar.destroy();
  }
}
