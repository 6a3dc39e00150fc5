import 'server-only';
import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { LifeboatError, messageOf } from '@/lib/errors';
import { engineEntry } from './engine-tar';
import { END_OF_ARCHIVE, encodeHeader, padding, TarReader } from './tar-format';
import { VolumeLayout } from './volume-layout';
import { archivePath, CONTAINERS_DIR, MANIFEST_FORMAT, MANIFEST_PATH, MANIFEST_VERSION, type Manifest, type ManifestEntry } from './manifest';
import { ManifestWriter, type ManifestStore } from './manifest-stream';

/** Where the archive's tar goes, piece by piece; `write` settles once there is room for more. */
export type TarSink = { write: (pieces: Buffer[]) => Promise<void> };

export type ArchiveSource = {
  volumes: string[];
  /** Each volume as the engine's tar of it (entries `<volume>/…`), in `volumes` order. */
  openVolume: (volume: string) => Readable;
  /** `docker inspect` of each container the backup stopped, by name. */
  containers: Record<string, unknown>;
  node: Manifest['node'];
  engineVersion: string | null;
  ucpVersion: string | null;
  createdAt: Date;
};

/**
 * Writes the backup's tar into `sink`: ./lifeboat/containers/<name>.json, then every volume as
 * ./<volume>/<path> (modes, owners, times, links kept; each file hashed as it passes), then
 * ./lifeboat/manifest.json, written to `manifest` as the volumes pass and read back from it. One volume
 * at a time, never more than the engine's chunk (and a part of the manifest) in hand.
 */
export async function writeVolumeArchive(sink: TarSink, source: ArchiveSource, manifest: ManifestStore): Promise<void> {
  const mtime = Math.floor(source.createdAt.getTime() / 1000);
  const lifeboatDir = (name: string) => encodeHeader({ name, type: 'directory', mode: 0o755, uid: 0, gid: 0, size: 0, mtime });
  await sink.write([...lifeboatDir('./lifeboat/'), ...lifeboatDir(CONTAINERS_DIR)]);
  for (const [name, inspect] of Object.entries(source.containers)) {
    await sink.write(fileEntry(`${CONTAINERS_DIR}${name}.json`, JSON.stringify(inspect, null, 2) + '\n', mtime));
  }

  const writer = new ManifestWriter(manifest, {
    format: MANIFEST_FORMAT,
    formatVersion: MANIFEST_VERSION,
    createdAt: source.createdAt.toISOString(),
    node: source.node,
    engineVersion: source.engineVersion,
    ucpVersion: source.ucpVersion,
    containers: Object.keys(source.containers),
  });
  for (const volume of source.volumes) await repackVolume(sink, volume, source.openVolume(volume), writer);
  await writer.end();

  await sink.write(fileHeader(MANIFEST_PATH, writer.bytes, mtime));
  let replayed = 0;
  for await (const text of manifest.parts()) {
    const bytes = Buffer.from(text);
    replayed += bytes.length;
    await sink.write([bytes]);
  }
  if (replayed !== writer.bytes) throw new Error(`the manifest read back is ${replayed} bytes, not the ${writer.bytes} written`);
  await sink.write([padding(replayed), END_OF_ARCHIVE]);
}

/** The header of one of Lifeboat's own files in the archive (root's, readable by root only). */
function fileHeader(name: string, size: number, mtime: number): Buffer[] {
  return encodeHeader({ name, type: 'file', mode: 0o600, uid: 0, gid: 0, size, mtime });
}

function fileEntry(name: string, text: string, mtime: number): Buffer[] {
  const body = Buffer.from(text);
  return [...fileHeader(name, body.length, mtime), body, padding(body.length)];
}

/** Re-packs the engine's tar of one volume (entries `<volume>/…`) as `./<volume>/…`, hashing every file into the manifest. */
async function repackVolume(sink: TarSink, volume: string, engineTar: Readable, manifest: ManifestWriter) {
  manifest.startVolume(volume);
  // The restore's rules, applied here too: Lifeboat writes no archive it could not restore.
  const layout = new VolumeLayout(volume);
  let pieces: Buffer[] = [];
  let entry: ManifestEntry | null = null;
  let hash: Hash | null = null;
  const reader = new TarReader({
    entry: (header) => {
      entry = engineEntry(volume, header);
      try {
        layout.admit(entry.path, entry.type, entry.linkname ?? '', `${volume}/${entry.path}`);
      } catch (error) {
        throw new LifeboatError('invalid_input', `cannot back up ${volume}: ${messageOf(error)}, so Lifeboat could not restore it`);
      }
      const linkname = entry.type === 'link' ? archivePath(volume, entry.linkname!) : entry.linkname;
      const name = archivePath(volume, entry.path) + (entry.type === 'directory' && entry.path ? '/' : '');
      pieces.push(...encodeHeader({ ...header, name, linkname }));
      hash = entry.type === 'file' ? createHash('sha256') : null;
    },
    body: (bytes) => {
      hash!.update(bytes);
      pieces.push(bytes);
    },
    entryEnd: () => {
      if (entry!.type === 'file') {
        pieces.push(padding(entry!.size));
        entry!.sha256 = hash!.digest('hex');
      }
      manifest.entry(entry!);
    },
  });
  try {
    for await (const chunk of engineTar as AsyncIterable<Buffer>) {
      reader.push(chunk);
      const ready = pieces;
      pieces = [];
      await sink.write(ready);
      await manifest.flush();
    }
    reader.end();
  } finally {
    // A failure on either side leaves the engine's stream: close it.
    if (!engineTar.readableEnded) engineTar.destroy();
  }
  manifest.endVolume();
}
