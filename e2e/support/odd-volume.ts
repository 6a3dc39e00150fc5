// Volumes holding more than files and directories: what a backup must keep as it is, and what it must refuse.
import { docker } from './lab';

async function fillVolume(node: string, name: string, commands: string[]) {
  await docker(node, 'volume', 'create', name);
  await docker(node, 'run', '--rm', '--network', 'none', '-v', `${name}:/v`, 'lifeboat-lab/busybox:latest', 'sh', '-c', `cd /v && ${commands.join(' && ')}`);
}

/** Symlinks to anywhere (absolute, out of the volume, nowhere, up through a directory), with owners of their own, and FIFOs. */
export function createLinksVolume(node: string, name: string) {
  return fillVolume(node, name, [
    'mkdir dir',
    'echo data > dir/file',
    'ln -s /etc/hostname abs',
    'chown -h 1000:1000 abs',
    'ln -s ../../x esc',
    'ln -s nowhere dangling',
    'ln -s ../.. dir/up',
    'mkfifo -m 0640 pipe',
    'chown 1000:1001 pipe',
    'mkfifo -m 0600 dir/pipe',
  ]);
}

/** A character device node (/dev/null's numbers) at dev/null-again, beside a plain file. */
export function createDeviceVolume(node: string, name: string) {
  return fillVolume(node, name, ['echo data > file', 'mkdir dev', 'mknod dev/null-again c 1 3']);
}
