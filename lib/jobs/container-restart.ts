import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Engine } from '@/lib/docker/engine';
import { messageOf } from '@/lib/errors';
import type { ContainerRef } from '@/lib/history/backup-history';

export type StartFailure = { name: string; reason: string };

/**
 * Stops the containers at once and waits for every stop to settle before failing: a stop still under
 * way when the caller starts the containers again would leave that one stopped.
 */
export async function stopAll(engine: Engine, containers: ContainerRef[]) {
  const results = await Promise.allSettled(containers.map((c) => engine.stopContainer(c.id, c.name)));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Starts every container of a job's intent at once, then checks that each one runs. Returns what
 * failed. `onStarted` marks the end of the downtime: the last start, before the check.
 */
export async function startContainers(engine: Engine, containers: ContainerRef[], onStarted: () => void = () => {}): Promise<StartFailure[]> {
  const failures: StartFailure[] = [];
  await Promise.all(
    containers.map((c) => engine.startContainer(c.id, c.name).catch((error) => failures.push({ name: c.name, reason: messageOf(error) }))),
  );
  onStarted();
  if (failures.length || containers.length === 0) return failures;
  const states = new Map((await engine.containers()).map((c) => [c.id, c.state]));
  return containers.filter((c) => states.get(c.id) !== 'running').map((c) => ({ name: c.name, reason: `${states.get(c.id) ?? 'gone'} after start` }));
}

/** "ucp-kv, ucp-proxy: ctrl-3 …: connection refused": one line per distinct reason. */
export function describeStartFailures(failures: StartFailure[]) {
  const byReason = new Map<string, string[]>();
  for (const f of failures) {
    const reason = f.reason.replace(/^(.*?): start \S+: /, '$1: ');
    byReason.set(reason, [...(byReason.get(reason) ?? []), f.name]);
  }
  return [...byReason].map(([reason, names]) => `${names.join(', ')} (${reason})`).join('; ');
}

/**
 * Puts a node back after a job: starts the intent's containers and removes the job's helper
 * containers, retrying until the deadline, because an engine that died in the middle of a job
 * comes back and its UCP must come back with it. Resolves to what still failed.
 */
export async function putNodeBack(
  connect: () => Promise<Engine>,
  jobId: string,
  containers: ContainerRef[],
  { deadlineMs = 10 * 60_000, intervalMs = 2_000 } = {},
): Promise<StartFailure[]> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const failures = await connect()
      .then(async (engine) => {
        const left = await startContainers(engine, containers);
        for (const helper of await engine.helperContainers(jobId)) await engine.removeContainer(helper);
        return left;
      })
      .catch((error) => [{ name: 'the node', reason: messageOf(error) }]);
    if (failures.length === 0 || Date.now() >= deadline) return failures;
    await sleep(intervalMs);
  }
}
