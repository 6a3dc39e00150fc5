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

/**
 * Runs `work` with a bulk volume on `node` that a user's container mounts (busybox's sleep: it ignores
 * SIGTERM, so stopping it takes the engine's 10 s grace), then removes both, whatever happened.
 */
export async function withMountedBulkVolume(node: string, names: { volume: string; container: string }, megabytes: number, work: () => Promise<void>) {
  await createBulkVolume(node, names.volume, megabytes);
  await docker(node, 'run', '-d', '--name', names.container, '--network', 'none', '-v', `${names.volume}:/data`, 'lifeboat-lab/busybox:latest', 'sleep', '2147483647');
  try {
    await work();
  } finally {
    await docker(node, 'rm', '-f', names.container).catch(() => '');
    await removeVolume(node, names.volume);
  }
}
