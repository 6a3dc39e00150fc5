import { describe, expect, it } from 'vitest';
import { stdoutOf } from '@/lib/docker/engine';
import { describeUnbackupable, parseScan } from './volume-scan';

describe('the pre-scan of the volumes', () => {
  it('reads one finding a line, paths relative to their volume, spaces kept', () => {
    expect(parseScan('device ucp-kv ./d ir/my mem\nsocket user-data ./run/app.sock\n')).toEqual([
      { kind: 'device', volume: 'ucp-kv', path: 'd ir/my mem' },
      { kind: 'socket', volume: 'user-data', path: 'run/app.sock' },
    ]);
    expect(parseScan('')).toEqual([]);
  });

  it('names the volume and the path of what it cannot take, and how many more there are', () => {
    expect(describeUnbackupable(parseScan('device ucp-kv ./dev/mem\n'))).toBe(
      'cannot back up ucp-kv: ucp-kv/dev/mem is a device node, which Lifeboat neither backs up nor restores; nothing was stopped',
    );
    expect(describeUnbackupable(parseScan('socket v ./s\nlinked v ./p\nlinked v ./p2\n'))).toBe(
      'cannot back up v: v/s is a socket, which no tar archive holds (and 2 more such entries); nothing was stopped',
    );
    expect(describeUnbackupable(parseScan('linked v ./p\n'))).toBe(
      'cannot back up v: v/p has several hard links and is not a regular file: a restore takes hard links only to regular files; nothing was stopped',
    );
  });

  it("reads the helper's standard output out of the engine's multiplexed log", () => {
    const frame = (stream: number, text: string) => {
      const body = Buffer.from(text);
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(body.length, 4);
      return Buffer.concat([header, body]);
    };
    expect(stdoutOf(Buffer.concat([frame(1, 'device v ./a\n'), frame(2, 'find: warning\n'), frame(1, 'socket v ./b\n')]))).toBe('device v ./a\nsocket v ./b\n');
  });
});
