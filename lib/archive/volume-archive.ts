import 'server-only';
import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { LifeboatError, messageOf } from '@/lib/errors';
import { relativeToVolume } from './engine-tar';
import { END_OF_ARCHIVE, encodeHeader, padding, TarReader, type TarHeader } from './tar-format';
import { VolumeLayout } from './volume-layout';
import { archivePath, CONTAINERS_DIR, MANIFEST_FORMAT, MANIFEST_PATH, MANIFEST_VERSION, type Manifest, type ManifestEntry, type VolumeManifest } from './manifest';

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
 * ./lifeboat/manifest.json. One volume at a time, never more than the engine's chunk in hand.
 */
export async function writeVolumeArchive(sink: TarSink, source: ArchiveSource): Promise<Manifest> {
  const mtime = Math.floor(source.createdAt.getTime() / 1000);
  const lifeboatDir = (name: string) => encodeHeader({ name, type: 'directory', mode: 0o755, uid: 0, gid: 0, size: 0, mtime });
  await sink.write([...lifeboatDir('./lifeboat/'), ...lifeboatDir(CONTAINERS_DIR)]);
  for (const [name, inspect] of Object.entries(source.containers)) {
    await sink.write(fileEntry(`${CONTAINERS_DIR}${name}.json`, JSON.stringify(inspect, null, 2) + '\n', mtime));
  }

  const volumes: VolumeManifest[] = [];
  for (const volume of source.volumes) {
    volumes.push(await repackVolume(sink, volume, source.openVolume(volume)));
  }

  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    formatVersion: MANIFEST_VERSION,
    createdAt: source.createdAt.toISOString(),
    node: source.node,
    engineVersion: source.engineVersion,
    ucpVersion: source.ucpVersion,
    containers: Object.keys(source.containers),
    volumes,
  };
  await sink.write([...fileEntry(MANIFEST_PATH, JSON.stringify(manifest, null, 2) + '\n', mtime), END_OF_ARCHIVE]);
  return manifest;
}

function fileEntry(name: string, text: string, mtime: number): Buffer[] {
  const body = Buffer.from(text);
  return [...encodeHeader({ name, type: 'file', mode: 0o600, uid: 0, gid: 0, size: body.length, mtime }), body, padding(body.length)];
}

/** Re-packs the engine's tar of one volume (entries `<volume>/…`) as `./<volume>/…`, hashing every file. */
async function repackVolume(sink: TarSink, volume: string, engineTar: Readable): Promise<VolumeManifest> {
  const manifest: VolumeManifest = { name: volume, files: 0, bytes: 0, entries: [] };
  // The restore's rules, applied here too: Lifeboat writes no archive it could not restore.
  const layout = new VolumeLayout(volume);
  let pieces: Buffer[] = [];
  let entry: ManifestEntry | null = null;
  let hash: Hash | null = null;
  const reader = new TarReader({
    entry: (header) => {
      entry = manifestEntry(volume, header);
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
        manifest.files += 1;
        manifest.bytes += entry!.size;
      }
      manifest.entries.push(entry!);
    },
  });
  try {
    for await (const chunk of engineTar as AsyncIterable<Buffer>) {
      reader.push(chunk);
      const ready = pieces;
      pieces = [];
      await sink.write(ready);
    }
    reader.end();
  } finally {
    // A failure on either side leaves the engine's stream: close it.
    if (!engineTar.readableEnded) engineTar.destroy();
  }
  return manifest;
}

/** What the manifest says of an entry of the engine's tar: its path in the volume, and links as the volume sees them. */
function manifestEntry(volume: string, header: TarHeader): ManifestEntry {
  const entry: ManifestEntry = {
    path: relativeToVolume(volume, header.name),
    type: header.type,
    size: header.size,
    mode: header.mode,
    uid: header.uid,
    gid: header.gid,
    mtime: new Date(header.mtime * 1000).toISOString(),
  };
  if (header.type === 'symlink') entry.linkname = header.linkname ?? '';
  if (header.type === 'link') entry.linkname = relativeToVolume(volume, header.linkname ?? '');
  return entry;
}
