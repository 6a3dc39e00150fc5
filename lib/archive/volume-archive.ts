import 'server-only';
import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Pack } from 'tar-stream';
import { LifeboatError, messageOf } from '@/lib/errors';
import { engineTarEntries } from './engine-tar';
import { addEntry, readWhole, streamEntry, WHOLE_ENTRY_BYTES, type EntryHeader } from './tar-entries';
import { VolumeLayout } from './volume-layout';
import { archivePath, CONTAINERS_DIR, MANIFEST_FORMAT, MANIFEST_PATH, MANIFEST_VERSION, type Manifest, type VolumeManifest } from './manifest';

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

function hashed(bytes: Buffer, hash: Hash) {
  hash.update(bytes);
  return bytes;
}

/** Re-packs a tar of one volume (entries `<volume>/…`) as `./<volume>/…`, hashing every file. */
async function repackVolume(pack: Pack, volume: string, engineTar: Readable): Promise<VolumeManifest> {
  const manifest: VolumeManifest = { name: volume, files: 0, bytes: 0, entries: [] };
  // The restore's rules, applied here too: Lifeboat writes no archive it could not restore.
  const layout = new VolumeLayout(volume);
  for await (const { path, entry: record, header, body } of engineTarEntries(volume, engineTar)) {
    const out: EntryHeader = {
      name: archivePath(volume, path) + (record.type === 'directory' && path ? '/' : ''),
      type: record.type,
      mode: header.mode,
      uid: header.uid,
      gid: header.gid,
      uname: header.uname,
      gname: header.gname,
      mtime: new Date(record.mtime),
      size: header.size,
      devmajor: header.devmajor,
      devminor: header.devminor,
    };
    if (record.type === 'symlink') out.linkname = record.linkname;
    if (record.type === 'link') out.linkname = archivePath(volume, record.linkname!);
    try {
      layout.admit(path, record.type, record.linkname ?? '', `${volume}/${path}`);
    } catch (error) {
      throw new LifeboatError('invalid_input', `cannot back up ${volume}: ${messageOf(error)}, so Lifeboat could not restore it`);
    }
    if (record.type === 'file') {
      const hash = createHash('sha256');
      if (record.size <= WHOLE_ENTRY_BYTES) await addEntry(pack, out, hashed(await readWhole(body), hash));
      else await streamEntry(pack, out, body as AsyncIterable<Buffer>, (chunk) => hash.update(chunk));
      record.sha256 = hash.digest('hex');
      manifest.files += 1;
      manifest.bytes += record.size;
    } else {
      body.resume();
      await addEntry(pack, out);
    }
    manifest.entries.push(record);
  }
  return manifest;
}
