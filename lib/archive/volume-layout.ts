import path from 'node:path/posix';
import { LifeboatError } from '@/lib/errors';
import type { EntryType } from './manifest';

const invalid = (message: string): never => {
  throw new LifeboatError('invalid_input', message);
};

/**
 * What an archive has put in one volume so far, to check each next entry against: nothing may be
 * written through a symlink or a file, no link may resolve outside the volume (following the
 * archive's own links, not just the text of the target), and a hard link must name an earlier file.
 */
export class VolumeLayout {
  private readonly types = new Map<string, EntryType>();
  /** Paths some symlink's target passes through: none of them may become a symlink later. */
  private readonly traversed = new Set<string>();

  constructor(private readonly volume: string) {}

  /** Checks the entry at `relative` (volume-relative), then records it. `name` is for messages. */
  admit(relative: string, type: EntryType, linkname: string, name: string) {
    if (type === 'character-device' || type === 'block-device') invalid(`${name}: a device node; a volume backup holds none`);
    if (type === 'fifo') invalid(`${name}: a FIFO; a volume backup holds none`);
    if (this.types.has(relative)) invalid(`${name} appears twice in the archive`);
    if (relative === '' && type !== 'directory') invalid(`${name}: the volume's own directory must be a directory`);
    const parts = relative ? relative.split('/') : [];
    for (let depth = 1; depth < parts.length; depth++) {
      const above = this.types.get(parts.slice(0, depth).join('/'));
      if (above && above !== 'directory') invalid(`${name}: written through ${parts.slice(0, depth).join('/')}, which is not a directory`);
    }
    if (type === 'symlink') this.checkSymlink(relative, linkname, name);
    if (type === 'link') this.checkHardLink(linkname, name);
    this.types.set(relative, type);
  }

  private checkSymlink(relative: string, target: string, name: string) {
    if (!target) invalid(`${name}: a symlink without a target`);
    if (target.startsWith('/')) invalid(`${name}: a symlink to ${target}, outside the volume`);
    if (this.traversed.has(relative)) invalid(`${name}: a symlink where another link's target passes`);
    const resolved = path.dirname(relative) === '.' ? [] : path.dirname(relative).split('/');
    for (const part of target.split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') {
        if (resolved.length === 0) invalid(`${name}: a symlink to ${target}, outside the volume ${this.volume}`);
        resolved.pop();
        continue;
      }
      resolved.push(part);
      const through = resolved.join('/');
      if (this.types.get(through) === 'symlink') invalid(`${name}: a symlink to ${target}, through the symlink ${through}`);
      this.traversed.add(through);
    }
  }

  private checkHardLink(target: string, name: string) {
    if (this.types.get(target) !== 'file') invalid(`${name}: a hard link to ${target || 'nothing'}, which is not an earlier file of the volume ${this.volume}`);
  }
}
