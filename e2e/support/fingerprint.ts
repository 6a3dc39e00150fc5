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

function fingerprintOf(node: string, volumes: string[]) {
  const mounts = volumes.flatMap((v) => ['-v', `${v}:/lifeboat/${v}:ro`]);
  const script =
    'cd /lifeboat && find . -mindepth 1 | sort | while read -r f; do stat -c "%n %F %a %u:%g %s %Y" "$f"; if [ -f "$f" ] && [ ! -L "$f" ]; then sha256sum "$f" | cut -d" " -f1; fi; if [ -L "$f" ]; then readlink "$f"; fi; done';
  return docker(node, 'run', '--rm', '--network', 'none', ...mounts, 'lifeboat-lab/busybox:latest', 'sh', '-c', script);
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
