/** The archive's own description, stored as ./lifeboat/manifest.json (and in the history row). */

export const MANIFEST_FORMAT = 'lifeboat-ucp-backup';
export const MANIFEST_VERSION = 1;
export const MANIFEST_PATH = './lifeboat/manifest.json';
export const CONTAINERS_DIR = './lifeboat/containers/';

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

/** The path of a volume's entry inside the archive: ./<volume>/<path>. */
export function archivePath(volume: string, path: string) {
  return path ? `./${volume}/${path}` : `./${volume}/`;
}
