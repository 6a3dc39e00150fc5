import { invalid } from '@/lib/errors';
import { manifestEntrySchema, type EntryType } from './manifest';
import { grown } from './typed-columns';

const TYPES: readonly EntryType[] = manifestEntrySchema.shape.type.options;

/**
 * What an archive has put in one volume so far, to check each next entry against. Symlinks (whatever
 * they point to: absolute, out of the volume, nowhere) and FIFOs are data, kept as they are; the
 * danger is only in writing through a link. So nothing may be written below a symlink or a file, a
 * hard link must name an earlier regular file of the same volume, and no device node is taken.
 *
 * Each admitted path gets a row (0, 1, 2… in archive order), which a reader may key more of its own by.
 */
export class VolumeLayout {
  private readonly rows = new Map<string, number>();
  private types = new Uint8Array(64);
  /** Paths earlier entries lie below: the extraction made them directories. */
  private readonly parents = new Set<string>();

  constructor(private readonly volume: string) {}

  get size() {
    return this.rows.size;
  }

  rowOf(path: string): number | undefined {
    return this.rows.get(path);
  }

  typeAt(row: number): EntryType {
    return TYPES[this.types[row]];
  }

  /** Every admitted path with its row, in archive order. */
  paths(): Iterable<[path: string, row: number]> {
    return this.rows;
  }

  /** Checks the entry at `relative` (volume-relative), then records it and returns its row. `name` is for messages. */
  admit(relative: string, type: EntryType, linkname: string, name: string): number {
    if (type === 'character-device' || type === 'block-device') invalid(`${name}: a device node, which Lifeboat neither backs up nor restores`);
    if (this.rows.has(relative)) invalid(`${name} appears twice in the archive`);
    if (relative === '' && type !== 'directory') invalid(`${name}: the volume's own directory must be a directory`);
    if (type !== 'directory' && this.parents.has(relative)) invalid(`${name}: not a directory, yet earlier entries lie below it`);
    // From the nearest parent up, until one already known: nothing was admitted below a non-directory, so its own parents are known too.
    for (let slash = relative.lastIndexOf('/'); slash > 0; slash = relative.lastIndexOf('/', slash - 1)) {
      const parent = relative.slice(0, slash);
      if (this.parents.has(parent)) break;
      const above = this.typeOf(parent);
      if (above && above !== 'directory') invalid(`${name}: written through ${parent}, which is not a directory`);
      this.parents.add(parent);
    }
    // The kernel makes no symlink with an empty target.
    if (type === 'symlink' && !linkname) invalid(`${name}: a symlink without a target`);
    if (type === 'link' && this.typeOf(linkname) !== 'file') {
      invalid(`${name}: a hard link to ${linkname || 'nothing'}, which is not an earlier file of the volume ${this.volume}`);
    }
    const row = this.rows.size;
    this.rows.set(relative, row);
    this.types = grown(this.types, row + 1);
    this.types[row] = TYPES.indexOf(type);
    return row;
  }

  private typeOf(path: string): EntryType | undefined {
    const row = this.rows.get(path);
    return row === undefined ? undefined : this.typeAt(row);
  }
}
