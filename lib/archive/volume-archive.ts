import 'server-only';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar, { type Pack } from 'tar-stream';
import { LifeboatError, messageOf } from '@/lib/errors';
import { addEntry, streamEntry, type EntryHeader } from './tar-entries';
import { VolumeLayout } from './volume-layout';
import { archivePath, CONTAINERS_DIR, MANIFEST_FORMAT, MANIFEST_PATH, MANIFEST_VERSION, type EntryType, type Manifest, type ManifestEntry, type VolumeManifest } from './manifest';

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
 * Writes the backup's tar into `pack`: ./lifeboat/containers/<name>.json, then every volume as
 * ./<volume>/<path> (modes, owners, times, links kept; each file hashed as it passes), then
 * ./lifeboat/manifest.json. One volume at a time, never more than a chunk in memory.
 */
export async function writeVolumeArchive(pack: Pack, source: ArchiveSource): Promise<Manifest> {
  const mtime = source.createdAt;
  await addEntry(pack, { name: './lifeboat/', type: 'directory', mode: 0o755, mtime });
  await addEntry(pack, { name: CONTAINERS_DIR, type: 'directory', mode: 0o755, mtime });
  for (const [name, inspect] of Object.entries(source.containers)) {
    await addEntry(pack, { name: `${CONTAINERS_DIR}${name}.json`, mode: 0o600, mtime }, JSON.stringify(inspect, null, 2) + '\n');
  }

  const volumes: VolumeManifest[] = [];
  for (const volume of source.volumes) {
    volumes.push(await repackVolume(pack, volume, source.openVolume(volume)));
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
  await addEntry(pack, { name: MANIFEST_PATH, mode: 0o600, mtime }, JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** Re-packs a tar of one volume (entries `<volume>/…`) as `./<volume>/…`, hashing every file. */
async function repackVolume(pack: Pack, volume: string, engineTar: Readable): Promise<VolumeManifest> {
  const extract = tar.extract();
  const feeding = pipeline(engineTar, extract);
  const manifest: VolumeManifest = { name: volume, files: 0, bytes: 0, entries: [] };
  // The restore's rules, applied here too: Lifeboat writes no archive it could not restore.
  const layout = new VolumeLayout(volume);
  try {
    for await (const entry of extract) {
      const header = entry.header;
      const path = relativeToVolume(volume, header.name);
      const type: EntryType = header.type === 'contiguous-file' ? 'file' : header.type;
      // A tar header keeps whole seconds: the manifest says what the archive holds.
      const mtime = new Date(Math.floor((header.mtime ?? new Date(0)).getTime() / 1000) * 1000);
      const record: ManifestEntry = {
        path,
        type,
        size: header.size ?? 0,
        // The engine's modes carry file-type bits; a tar header keeps the permission bits.
        mode: (header.mode ?? 0) & 0o7777,
        uid: header.uid ?? 0,
        gid: header.gid ?? 0,
        mtime: mtime.toISOString(),
      };
      const out: EntryHeader = {
        name: archivePath(volume, path) + (type === 'directory' && path ? '/' : ''),
        type,
        mode: header.mode,
        uid: header.uid,
        gid: header.gid,
        uname: header.uname,
        gname: header.gname,
        mtime,
        size: header.size,
        devmajor: header.devmajor,
        devminor: header.devminor,
      };
      if (type === 'symlink') out.linkname = record.linkname = header.linkname ?? '';
      if (type === 'link') {
        record.linkname = relativeToVolume(volume, header.linkname ?? '');
        out.linkname = archivePath(volume, record.linkname);
      }
      try {
        layout.admit(path, type, record.linkname ?? '', `${volume}/${path}`);
      } catch (error) {
        throw new LifeboatError('invalid_input', `cannot back up ${volume}: ${messageOf(error)}, so Lifeboat could not restore it`);
      }
      if (type === 'file') {
        const hash = createHash('sha256');
        await streamEntry(pack, out, entry as AsyncIterable<Buffer>, (chunk) => hash.update(chunk));
        record.sha256 = hash.digest('hex');
        manifest.files += 1;
        manifest.bytes += record.size;
      } else {
        entry.resume();
        await addEntry(pack, out);
      }
      manifest.entries.push(record);
    }
    await feeding;
  } catch (error) {
    engineTar.destroy();
    await feeding.catch(() => {});
    throw error;
  }
  return manifest;
}

function relativeToVolume(volume: string, name: string) {
  const trimmed = name.replace(/\/+$/, '');
  if (trimmed === volume) return '';
  if (!trimmed.startsWith(`${volume}/`)) throw new Error(`the engine's tar of ${volume} holds an entry outside it: ${name}`);
  return trimmed.slice(volume.length + 1);
}
