import 'server-only';
import type { Engine, HelperImageId } from '@/lib/docker/engine';
import { LifeboatError } from '@/lib/errors';

/**
 * Prints `<kind> <volume> <path>` for each entry of the volumes ($@) that a backup cannot take: device
 * nodes; sockets (no tar holds one: the engine's would leave them out); and anything but a directory
 * or a regular file with several hard links (a restore takes hard links only to regular files).
 * `[ -L ]` first: the other tests follow symlinks.
 */
const SCAN = `for volume do
  cd "/lifeboat/$volume" || exit 1
  found=$(find . -type b -o -type c -o -type s -o ! -type d ! -type f -links +1) || exit 1
  [ -z "$found" ] || printf '%s\\n' "$found" | while IFS= read -r path; do
    if [ -L "$path" ]; then kind=linked; elif [ -b "$path" ] || [ -c "$path" ]; then kind=device; elif [ -S "$path" ]; then kind=socket; else kind=linked; fi
    echo "$kind $volume $path"
  done
done`;

const WHY: Record<string, string> = {
  device: 'is a device node, which Lifeboat neither backs up nor restores',
  socket: 'is a socket, which no tar archive holds',
  linked: 'has several hard links and is not a regular file: a restore takes hard links only to regular files',
};

export type Unbackupable = { kind: string; volume: string; path: string };

/** The scan's output, one finding a line; paths relative to their volume. */
export function parseScan(output: string): Unbackupable[] {
  return output
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [kind, volume, ...rest] = line.split(' ');
      return { kind, volume, path: rest.join(' ').replace(/^\.\//, '') };
    });
}

export function describeUnbackupable(found: Unbackupable[]) {
  const [first] = found;
  const more = found.length > 1 ? ` (and ${found.length - 1} more such entr${found.length > 2 ? 'ies' : 'y'})` : '';
  return `cannot back up ${first.volume}: ${first.volume}/${first.path} ${WHY[first.kind] ?? `is a ${first.kind}`}${more}; nothing was stopped`;
}

/**
 * Looks through the volumes while everything still runs, read-only, for what a backup could not take
 * (or a restore could not write back), so that a backup fails on it before anything stops.
 */
export async function refuseUnbackupable(engine: Engine, options: { image: HelperImageId; volumes: string[]; jobId: string }) {
  const output = await engine.readInVolumes({ ...options, script: SCAN, args: options.volumes, what: 'looking through the volumes' });
  const found = parseScan(output);
  if (found.length) throw new LifeboatError('invalid_input', describeUnbackupable(found));
}
