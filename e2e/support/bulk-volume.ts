// A big volume, so that a backup lasts long enough to be interrupted on purpose.
import { docker } from './lab';

export async function createBulkVolume(node: string, name: string, megabytes: number) {
  await docker(node, 'volume', 'create', name);
  const files = 4;
  await docker(
    node,
    'run',
    '--rm',
    '--network',
    'none',
    '-v',
    `${name}:/d`,
    'lifeboat-lab/busybox:latest',
    'sh',
    '-c',
    `for i in $(seq 1 ${files}); do dd if=/dev/urandom of=/d/part$i bs=1M count=${Math.ceil(megabytes / files)} 2>/dev/null; done`,
  );
}

export async function removeVolume(node: string, name: string) {
  await docker(node, 'volume', 'rm', '-f', name).catch(() => {});
}
