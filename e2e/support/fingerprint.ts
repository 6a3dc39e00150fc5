// Every volume of a node, described in one line per entry (path, type, mode, owner, size, time, SHA-256):
// equal fingerprints mean nothing changed.
import { docker } from './lab';

export async function volumesFingerprint(node: string): Promise<string> {
  const volumes = (await docker(node, 'volume', 'ls', '-q')).split('\n').filter(Boolean);
  const mounts = volumes.flatMap((v) => ['-v', `${v}:/lifeboat/${v}:ro`]);
  const script =
    'cd /lifeboat && find . -mindepth 1 | sort | while read -r f; do stat -c "%n %F %a %u:%g %s %Y" "$f"; if [ -f "$f" ] && [ ! -L "$f" ]; then sha256sum "$f" | cut -d" " -f1; fi; if [ -L "$f" ]; then readlink "$f"; fi; done';
  return docker(node, 'run', '--rm', '--network', 'none', ...mounts, 'lifeboat-lab/busybox:latest', 'sh', '-c', script);
}

export async function startedAt(node: string, container: string) {
  return (await docker(node, 'inspect', '--format', '{{.State.StartedAt}}', container)).trim();
}
