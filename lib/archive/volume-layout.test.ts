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

  it('refuses a link out of the volume, by text or through another symlink', () => {
    expect(() =>
      admitAll([
        ['', 'directory'],
        ['up', 'symlink', '../other'],
      ]),
    ).toThrow('./v/up: a symlink to ../other, outside the volume v');
    expect(() =>
      admitAll([
        ['', 'directory'],
        ['etc', 'symlink', '/etc'],
      ]),
    ).toThrow('./v/etc: a symlink to /etc, outside the volume');
    expect(() =>
      admitAll([
        ['', 'directory'],
        ['a', 'directory'],
        ['a/up', 'symlink', '..'],
        ['esc', 'symlink', 'a/up/..'],
      ]),
    ).toThrow('./v/esc: a symlink to a/up/.., through the symlink a/up');
  });

  it('refuses a symlink placed where an earlier link already points through', () => {
    expect(() =>
      admitAll([
        ['', 'directory'],
        ['x', 'symlink', 'd/e'],
        ['d', 'symlink', '..'],
      ]),
    ).toThrow("./v/d: a symlink where another link's target passes");
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
        ['f', 'file'],
        ['f/x', 'file'],
      ]),
    ).toThrow('./v/f/x: written through f, which is not a directory');
  });

  it('refuses a hard link to anything but an earlier file', () => {
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
        ['h', 'link', 'later'],
        ['later', 'file'],
      ]),
    ).toThrow(/not an earlier file/);
  });

  it('refuses devices, FIFOs, a duplicate, and a volume root that is not a directory', () => {
    expect(() =>
      admitAll([
        ['', 'directory'],
        ['mem', 'character-device'],
      ]),
    ).toThrow('./v/mem: a device node; a volume backup holds none');
    expect(() =>
      admitAll([
        ['', 'directory'],
        ['p', 'fifo'],
      ]),
    ).toThrow('./v/p: a FIFO; a volume backup holds none');
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
