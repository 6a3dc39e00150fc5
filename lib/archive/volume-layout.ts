import { LifeboatError } from '@/lib/errors';
import type { EntryType } from './manifest';

const invalid = (message: string): never => {
  throw new LifeboatError('invalid_input', message);
};

/**
 * What an archive has put in one volume so far, to check each next entry against. Symlinks (whatever
 * they point to: absolute, out of the volume, nowhere) and FIFOs are data, kept as they are; the
 * danger is only in writing through a link. So nothing may be written below a symlink or a file, a
 * hard link must name an earlier regular file of the same volume, and no device node is taken.
 */
export class VolumeLayout {
  private readonly types = new Map<string, EntryType>();
  /** Paths earlier entries lie below: the extraction made them directories. */
  private readonly parents = new Set<string>();

  constructor(private readonly volume: string) {}

  /** Checks the entry at `relative` (volume-relative), then records it. `name` is for messages. */
  admit(relative: string, type: EntryType, linkname: string, name: string) {
    if (type === 'character-device' || type === 'block-device') invalid(`${name}: a device node, which Lifeboat neither backs up nor restores`);
    if (this.types.has(relative)) invalid(`${name} appears twice in the archive`);
    if (relative === '' && type !== 'directory') invalid(`${name}: the volume's own directory must be a directory`);
    if (type !== 'directory' && this.parents.has(relative)) invalid(`${name}: not a directory, yet earlier entries lie below it`);
    const parts = relative ? relative.split('/') : [];
    for (let depth = 1; depth < parts.length; depth++) {
      const parent = parts.slice(0, depth).join('/');
      const above = this.types.get(parent);
      if (above && above !== 'directory') invalid(`${name}: written through ${parent}, which is not a directory`);
      this.parents.add(parent);
    }
    // The kernel makes no symlink with an empty target.
    if (type === 'symlink' && !linkname) invalid(`${name}: a symlink without a target`);
    if (type === 'link' && this.types.get(linkname) !== 'file') {
      invalid(`${name}: a hard link to ${linkname || 'nothing'}, which is not an earlier file of the volume ${this.volume}`);
    }
    this.types.set(relative, type);
  }
}
