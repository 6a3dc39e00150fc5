import { describe, expect, it } from 'vitest';
import type { EntryType } from './manifest';
import { VolumeLayout } from './volume-layout';

type Entry = [path: string, type: EntryType, linkname?: string];

function admitAll(entries: Entry[]) {
  const layout = new VolumeLayout('v');
  for (const [path, type, linkname = ''] of entries) layout.admit(path, type, linkname, `./v/${path}`);
}

describe('VolumeLayout', () => {
  it("admits a volume like the lab's ucp-kv: nested directories, relative symlinks, a hard link to a file", () => {
    expect(() =>
      admitAll([
        ['', 'directory'],
        ['member', 'directory'],
        ['member/snap', 'directory'],
        ['member/snap/db', 'file'],
        ['member/snap/latest.snap', 'symlink', 'db'],
        ['snapshots', 'symlink', 'member/snap'],
        ['db-again', 'link', 'member/snap/db'],
      ]),
    ).not.toThrow();
  });

  it('keeps symlinks whatever they point to (absolute, out of the volume, through other links, nowhere) and FIFOs', () => {
    expect(() =>
      admitAll([
        ['', 'directory'],
        ['abs', 'symlink', '/etc/hostname'],
        ['esc', 'symlink', '../../x'],
        ['a', 'directory'],
        ['a/up', 'symlink', '..'],
        ['through', 'symlink', 'a/up/../..'],
        ['x', 'symlink', 'd/e'],
        ['d', 'symlink', '..'],
        ['dangling', 'symlink', 'nowhere'],
        ['pipe', 'fifo'],
        ['a/pipe', 'fifo'],
      ]),
    ).not.toThrow();
  });

  it('refuses an entry written through a symlink or a file', () => {
    expect(() =>
      admitAll([
        ['', 'directory'],
        ['d', 'directory'],
        ['l', 'symlink', 'd'],
        ['l/x', 'file'],
      ]),
    ).toThrow('./v/l/x: written through l, which is not a directory');
    expect(() =>
      admitAll([
        ['', 'directory'],
        ['abs', 'symlink', '/etc'],
        ['abs/cron.d/evil', 'file'],
      ]),
    ).toThrow('./v/abs/cron.d/evil: written through abs, which is not a directory');
    expect(() =>
      admitAll([
        ['', 'directory'],
        ['f', 'file'],
        ['f/x', 'file'],
      ]),
    ).toThrow('./v/f/x: written through f, which is not a directory');
    expect(() =>
      admitAll([
        ['', 'directory'],
        ['p', 'fifo'],
        ['p/x', 'directory'],
      ]),
    ).toThrow('./v/p/x: written through p, which is not a directory');
  });

  it('refuses a link or a file where earlier entries made a directory', () => {
    expect(() =>
      admitAll([
        ['', 'directory'],
        ['a/b', 'file'],
        ['a', 'symlink', '/etc'],
      ]),
    ).toThrow('./v/a: not a directory, yet earlier entries lie below it');
  });

  it('refuses a hard link to anything but an earlier regular file of the volume', () => {
    expect(() =>
      admitAll([
        ['', 'directory'],
        ['s', 'symlink', 'x'],
        ['h', 'link', 's'],
      ]),
    ).toThrow('./v/h: a hard link to s, which is not an earlier file of the volume v');
    expect(() =>
      admitAll([
        ['', 'directory'],
        ['p', 'fifo'],
        ['h', 'link', 'p'],
      ]),
    ).toThrow('./v/h: a hard link to p, which is not an earlier file of the volume v');
    expect(() =>
      admitAll([
        ['', 'directory'],
        ['h', 'link', 'later'],
        ['later', 'file'],
      ]),
    ).toThrow(/not an earlier file/);
    expect(() =>
      admitAll([
        ['', 'directory'],
        ['h', 'link', ''],
      ]),
    ).toThrow('./v/h: a hard link to nothing, which is not an earlier file of the volume v');
  });

  it('refuses device nodes, a symlink without a target, a duplicate, and a volume root that is not a directory', () => {
    expect(() =>
      admitAll([
        ['', 'directory'],
        ['mem', 'character-device'],
      ]),
    ).toThrow('./v/mem: a device node, which Lifeboat neither backs up nor restores');
    expect(() =>
      admitAll([
        ['', 'directory'],
        ['sda', 'block-device'],
      ]),
    ).toThrow('./v/sda: a device node, which Lifeboat neither backs up nor restores');
    expect(() =>
      admitAll([
        ['', 'directory'],
        ['s', 'symlink', ''],
      ]),
    ).toThrow('./v/s: a symlink without a target');
    expect(() =>
      admitAll([
        ['', 'directory'],
        ['f', 'file'],
        ['f', 'file'],
      ]),
    ).toThrow('./v/f appears twice in the archive');
    expect(() => admitAll([['', 'file']])).toThrow("./v/: the volume's own directory must be a directory");
  });
});
