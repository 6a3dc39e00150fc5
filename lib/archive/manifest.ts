import { z } from 'zod';
import type { TarHeader } from './tar-format';

/** The archive's own description, stored as ./lifeboat/manifest.json (and in the history row). */

export const MANIFEST_FORMAT = 'lifeboat-ucp-backup';
export const MANIFEST_VERSION = 1;
export const MANIFEST_PATH = './lifeboat/manifest.json';
export const CONTAINERS_DIR = './lifeboat/containers/';
/** The largest manifest an archive may hold: a reader refuses a larger one, so a backup never writes one. */
export const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

export type EntryType = 'file' | 'directory' | 'symlink' | 'link' | 'character-device' | 'block-device' | 'fifo';

export type ManifestEntry = {
  /** Relative to the volume's root; '' is the root itself. */
  path: string;
  type: EntryType;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  mtime: string;
  sha256?: string;
  linkname?: string;
};

export type VolumeManifest = { name: string; files: number; bytes: number; entries: ManifestEntry[] };

export type Manifest = {
  format: typeof MANIFEST_FORMAT;
  formatVersion: number;
  createdAt: string;
  node: { hostname: string; swarmNodeId: string | null };
  engineVersion: string | null;
  ucpVersion: string | null;
  containers: string[];
  volumes: VolumeManifest[];
};

/**
 * What a reader keeps of a manifest it has checked: its head, and each volume's counts and root entry
 * (a restore sets the volume's own directory from it), not the entries.
 */
export type VolumeSummary = Omit<VolumeManifest, 'entries'> & { root: ManifestEntry | null };
export type ManifestSummary = Omit<Manifest, 'volumes'> & { volumes: VolumeSummary[] };

/** What the manifest says of a tar entry at `path` (volume-relative); a hard link's target is mapped by `hardLinkTarget`. */
export function manifestEntry(header: TarHeader, path: string, hardLinkTarget: (target: string) => string): ManifestEntry {
  const entry: ManifestEntry = {
    path,
    type: header.type,
    size: header.size,
    mode: header.mode,
    uid: header.uid,
    gid: header.gid,
    mtime: new Date(header.mtime * 1000).toISOString(),
  };
  if (header.type === 'symlink') entry.linkname = header.linkname ?? '';
  if (header.type === 'link') entry.linkname = hardLinkTarget(header.linkname ?? '');
  return entry;
}

/** The path of a volume's entry inside the archive: ./<volume>/<path>. */
export function archivePath(volume: string, path: string) {
  return path ? `./${volume}/${path}` : `./${volume}/`;
}

const count = z.number().int().nonnegative();

export const manifestEntrySchema = z.object({
  path: z.string(),
  type: z.enum(['file', 'directory', 'symlink', 'link', 'character-device', 'block-device', 'fifo']),
  size: count,
  mode: count,
  uid: count,
  gid: count,
  mtime: z.iso.datetime(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  linkname: z.string().optional(),
});

export const volumeCountsSchema = z.object({ files: count, bytes: count });

/** A manifest as read back from an archive: checked before anything relies on it (it comes from outside). */
export const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  formatVersion: z.number().int().positive(),
  createdAt: z.string(),
  node: z.object({ hostname: z.string(), swarmNodeId: z.string().nullable() }),
  engineVersion: z.string().nullable(),
  ucpVersion: z.string().nullable(),
  containers: z.array(z.string()),
  volumes: z.array(z.object({ name: z.string(), ...volumeCountsSchema.shape, entries: z.array(manifestEntrySchema) })),
});
