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

/** Where a job records how its containers came back: its own history. */
export type RestartRecorder = {
  started: (downtimeMs: number | null, note?: string) => Promise<unknown>;
  warn: (message: string) => Promise<unknown>;
};

/**
 * Stops `containers`, runs `work`, and starts them again as soon as it ends, whether it succeeded or
 * not, then checks that they run. The downtime (first stop to last start) goes to `record.started`;
 * containers that do not start are retried in the background (their engine may be coming back).
 * `onStarting` is announced alongside the starts: a database error must not keep them from starting.
 */
export async function whileStopped<T>(
  { engine, containers, jobId, record, onStarting }: { engine: Engine; containers: ContainerRef[]; jobId: string; record: RestartRecorder; onStarting?: () => Promise<void> },
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const abort = new AbortController();
  const firstStop = Date.now();
  try {
    // All at once: the downtime is the slowest stop, not their sum.
    await stopAll(engine, containers);
    return await work(abort.signal);
  } catch (error) {
    abort.abort();
    throw error;
  } finally {
    const announcing = (onStarting?.() ?? Promise.resolve()).catch(() => {});
    let lastStart = Date.now();
    const failures = await startContainers(engine, containers, () => (lastStart = Date.now())).catch((error) => [{ name: 'the node', reason: messageOf(error) }]);
    await announcing;
    if (failures.length === 0) {
      await record.started(containers.length ? lastStart - firstStop : null);
    } else {
      await record.warn(`not started again yet: ${describeStartFailures(failures)}. Lifeboat keeps trying.`);
      void putNodeBack(async () => engine, jobId, containers).then((left) =>
        left.length === 0 ? record.started(null, 'the containers started again once the engine came back') : record.warn(`not started again: ${describeStartFailures(left)}. Start them by hand.`),
      );
    }
  }
}
