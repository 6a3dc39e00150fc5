// The command line doing what Lifeboat does, over the engine's unix socket, each step timed.
import fs from 'node:fs';
import { labNode } from '../e2e/support/lab';
import { docker, gpg, NODE, sh, shInDataset, socket, stopwatch, timed, type Dataset } from './bench-lab';

const dockerCli = () => `/usr/bin/docker -H unix://${socket()}`;

/** The ceiling over the unix socket: the engine's tar of the volumes, discarded. */
export async function rawReadUnix(helper: string) {
  return (await timed(() => sh(`${dockerCli()} cp ${helper}:/lifeboat - > /dev/null`))).seconds;
}

/** The ceiling over mutual TLS, with the lab's client bundle: the engine's archive API read by curl. */
export async function rawReadTls(helper: string) {
  const { address, tls } = labNode(NODE);
  const url = `https://${address}:2376/v1.41/containers/${helper}/archive?path=/lifeboat`;
  return (await timed(() => sh(`curl -fsS --cacert ${tls.ca} --cert ${tls.cert} --key ${tls.key} -o /dev/null '${url}'`))).seconds;
}

/** `docker stop`, then `docker cp | gpg --symmetric`, then `docker start`: its downtime is all of it. */
export async function cliBackup(helper: string, containers: string[], out: string) {
  const run = await timed(async () => {
    const stop = await stopwatch(() => docker('stop', ...containers));
    const copy = await stopwatch(() => sh(`${dockerCli()} cp ${helper}:/lifeboat - | ${gpg} --symmetric --cipher-algo AES256 -z 0 -o ${out}`));
    const start = await stopwatch(() => docker('start', ...containers));
    return { stop: stop.seconds, copy: copy.seconds, start: start.seconds };
  });
  fs.rmSync(out);
  return { seconds: run.seconds, downtime: run.seconds, steps: run.value };
}

/**
 * gpg decrypts to a RAM disk first and checks the MDC before the tar is used; then stop, empty the
 * volumes, `docker cp -` the tar in, start. Its downtime is stop to start.
 */
export async function cliRestore(dataset: Dataset, helper: string, containers: string[], archive: string) {
  const tar = `/dev/shm/lifeboat-bench-${process.pid}.tar`;
  const run = await timed(async () => {
    try {
      const decrypt = await stopwatch(() => sh(`${gpg} --decrypt -o ${tar} ${archive}`));
      const stop = await stopwatch(() => docker('stop', ...containers));
      const empty = await stopwatch(() => shInDataset(dataset, 'rm -rf /lifeboat/*/* /lifeboat/*/.[!.]* /lifeboat/*/..?*'));
      const write = await stopwatch(() => sh(`${dockerCli()} cp - ${helper}:/lifeboat < ${tar}`));
      const start = await stopwatch(() => docker('start', ...containers));
      return { decrypt: decrypt.seconds, stop: stop.seconds, empty: empty.seconds, write: write.seconds, start: start.seconds };
    } finally {
      fs.rmSync(tar, { force: true });
    }
  });
  const { stop, empty, write, start } = run.value;
  return { seconds: run.seconds, downtime: stop + empty + write + start, steps: run.value };
}

/** The CLI's verification: decrypt and check the MDC, output discarded. */
export async function cliVerify(archive: string) {
  return { seconds: (await timed(() => sh(`${gpg} --decrypt ${archive} > /dev/null`))).seconds };
}
