import 'server-only';
import type { EntryType, ManifestEntry } from './manifest';
import { grown } from './typed-columns';
import { VolumeLayout } from './volume-layout';

/** An entry as a reader saw it, to compare with the manifest's: times in whole seconds, as tar keeps them. */
export type ReadEntry = { type: EntryType; size: number; mode: number; uid: number; gid: number; mtimeSeconds: number; sha256?: string; linkname?: string };

const SIZE = 0;
const UID = 1;
const GID = 2;
const MTIME = 3;
const NUMBERS = 4;
const SHA256_BYTES = 32;

/**
 * What a reader saw of one volume, until the manifest (the archive's last entry) is compared with it:
 * its layout, and per row the numbers, mode, file hash and link target, in typed arrays.
 */
export class VolumeRead {
  readonly layout: VolumeLayout;
  private numbers = new Float64Array(64 * NUMBERS);
  private modes = new Uint16Array(64);
  private hashes = new Uint8Array(64 * SHA256_BYTES);
  private hashed = new Uint8Array(64);
  private readonly links = new Map<number, string>();

  constructor(volume: string) {
    this.layout = new VolumeLayout(volume);
  }

  /** Checks the entry against the volume's layout (see VolumeLayout) and keeps it; returns its row. */
  admit(entry: ManifestEntry, mtimeSeconds: number, name: string): number {
    const row = this.layout.admit(entry.path, entry.type, entry.linkname ?? '', name);
    this.numbers = grown(this.numbers, (row + 1) * NUMBERS);
    this.modes = grown(this.modes, row + 1);
    this.numbers.set([entry.size, entry.uid, entry.gid, mtimeSeconds], row * NUMBERS);
    this.modes[row] = entry.mode & 0o7777;
    if (entry.linkname !== undefined) this.links.set(row, entry.linkname);
    return row;
  }

  setSha256(row: number, digest: Uint8Array) {
    this.hashes = grown(this.hashes, (row + 1) * SHA256_BYTES);
    this.hashed = grown(this.hashed, row + 1);
    this.hashes.set(digest, row * SHA256_BYTES);
    this.hashed[row] = 1;
  }

  /** The entry read at `path`, if any. */
  get(path: string): ReadEntry | undefined {
    const row = this.layout.rowOf(path);
    if (row === undefined) return undefined;
    const at = row * NUMBERS;
    const entry: ReadEntry = {
      type: this.layout.typeAt(row),
      size: this.numbers[at + SIZE],
      mode: this.modes[row],
      uid: this.numbers[at + UID],
      gid: this.numbers[at + GID],
      mtimeSeconds: this.numbers[at + MTIME],
    };
    if (this.hashed[row]) entry.sha256 = Buffer.from(this.hashes.buffer, row * SHA256_BYTES, SHA256_BYTES).toString('hex');
    if (this.links.has(row)) entry.linkname = this.links.get(row);
    return entry;
  }
}
