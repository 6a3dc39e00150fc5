// Every volume of a node, described in one line per entry (path, type, mode, owner, size, time, SHA-256):
// equal fingerprints mean nothing changed.
import { docker } from './lab';

export async function volumesFingerprint(node: string): Promise<string> {
  return fingerprintOf(node, (await docker(node, 'volume', 'ls', '-q')).split('\n').filter(Boolean));
}

/** One volume's fingerprint: its entries as `./<volume>/<path> <type> <mode> <uid>:<gid> <size> <mtime>`, then a file's SHA-256 or a symlink's target. */
export function volumeFingerprint(node: string, volume: string): Promise<string> {
  return fingerprintOf(node, [volume]);
}

/** Every volume's fingerprint, as volumeFingerprint gives it, read by one helper container for them all (one each is slower). */
export async function volumeFingerprints(node: string, volumes?: string[]): Promise<Record<string, string>> {
  const names = volumes ?? (await docker(node, 'volume', 'ls', '-q')).split('\n').filter(Boolean);
  // Each volume's entries after a NUL and its name: no path, and no symlink's target, holds a NUL.
  const out = await fingerprintOf(node, names, 'for v in "$@"; do printf "\\000%s\\n" "$v"; find "./$v" | sort | describe; done');
  return Object.fromEntries(
    out
      .split('\0')
      .slice(1)
      .map((chunk) => [chunk.slice(0, chunk.indexOf('\n')), chunk.slice(chunk.indexOf('\n') + 1)]),
  );
}

/** Runs `list` in /lifeboat, where `volumes` are mounted read-only; `describe` prints each path it reads on stdin as an entry. */
function fingerprintOf(node: string, volumes: string[], list = 'find . -mindepth 1 | sort | describe') {
  const mounts = volumes.flatMap((v) => ['-v', `${v}:/lifeboat/${v}:ro`]);
  const describe =
    'describe() { while read -r f; do stat -c "%n %F %a %u:%g %s %Y" "$f"; if [ -f "$f" ] && [ ! -L "$f" ]; then sha256sum "$f" | cut -d" " -f1; fi; if [ -L "$f" ]; then readlink "$f"; fi; done; }';
  return docker(node, 'run', '--rm', '--network', 'none', ...mounts, 'lifeboat-lab/busybox:latest', 'sh', '-c', `${describe}; cd /lifeboat && ${list}`, 'sh', ...volumes);
}

export async function startedAt(node: string, container: string) {
  return (await docker(node, 'inspect', '--format', '{{.State.StartedAt}}', container)).trim();
}

/** When each container of a node (or those whose name matches `nameFilter`) last started: equal snapshots mean none was stopped or restarted. */
export async function startTimes(node: string, nameFilter?: string): Promise<Record<string, string>> {
  const filter = nameFilter ? ['--filter', `name=${nameFilter}`] : [];
  const names = (await docker(node, 'ps', '-a', ...filter, '--format', '{{.Names}}')).split('\n').filter(Boolean).sort();
  return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await startedAt(node, name)] as const)));
}
