// A big volume, so that a backup lasts long enough to be interrupted on purpose.
import { docker, shInVolumes } from './lab';

export async function createBulkVolume(node: string, name: string, megabytes: number) {
  await docker(node, 'volume', 'create', name);
  const files = 4;
  await shInVolumes(node, { [name]: '/d' }, `for i in $(seq 1 ${files}); do dd if=/dev/urandom of=/d/part$i bs=1M count=${Math.ceil(megabytes / files)} 2>/dev/null; done`);
}

export async function removeVolume(node: string, name: string) {
  await docker(node, 'volume', 'rm', '-f', name).catch(() => {});
}
