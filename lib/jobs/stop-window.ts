import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '@/lib/db';
import type { Engine } from '@/lib/docker/engine';
import { messageOf } from '@/lib/errors';
import { JobAborted } from './job-abort';
import { jobTiming } from './job-owner';
import type { RunningJob } from './running-job';

export type ContainerRef = { id: string; name: string };
export type StartFailure = { name: string; reason: string };

/** Where a job records how its containers came back: its own history. */
export type RestartRecorder = {
  started: (tx: Db, downtimeMs: number | null, note?: string) => Promise<unknown>;
  warn: (tx: Db, message: string) => Promise<unknown>;
};

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
  await Promise.all(containers.map((c) => engine.startContainer(c.id, c.name).catch((error) => failures.push({ name: c.name, reason: messageOf(error) }))));
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
 * Thrown by a stop window's work when its containers must not start as things are (a restore's volumes
 * half written). `makeSafe` runs on the engine, with the containers stopped, before they start; it
 * resolves false when it cannot make things safe: the containers then stay stopped.
 */
export class NotSafeToStart extends Error {
  constructor(
    readonly reason: unknown,
    readonly makeSafe: MakeSafe,
  ) {
    super(messageOf(reason));
    this.name = 'NotSafeToStart';
  }
}

export type MakeSafe = (engine: Engine) => Promise<boolean>;

/** What putting a node back came to: the containers that still failed, or `left-stopped` (they must not start). */
export type PutBack = StartFailure[] | 'left-stopped';

/**
 * Puts a node back after a job: starts the intent's containers (and removes the job's helper
 * containers), retrying until the deadline, because an engine that died in the middle of a job
 * comes back and its UCP must come back with it. With `makeSafe`, each try first stops them (an
 * engine's restart policy may have started them) and makes things safe before anything starts. Gives up
 * early when `signal` aborts (the job was taken over by another process, which puts the node back itself).
 */
export async function putNodeBack(
  connect: () => Promise<Engine>,
  jobId: string,
  containers: ContainerRef[],
  { deadlineMs = 10 * 60_000, intervalMs = 2_000, signal, makeSafe }: { deadlineMs?: number; intervalMs?: number; signal?: AbortSignal; makeSafe?: MakeSafe } = {},
): Promise<PutBack> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const outcome: PutBack = await connect()
      .then(async (engine) => {
        if (makeSafe) {
          await stopAll(engine, containers);
          if (!(await makeSafe(engine))) return 'left-stopped' as const;
        }
        const left = await startContainers(engine, containers);
        // Best effort: a helper that an old owner still reads from may not go yet; it takes its own away.
        if (left.length === 0) await removeHelpers(engine, jobId).catch(() => {});
        return left;
      })
      .catch((error) => [{ name: 'the node', reason: messageOf(error) }]);
    if (outcome === 'left-stopped' || outcome.length === 0 || Date.now() >= deadline || signal?.aborted) return outcome;
    await sleep(intervalMs, undefined, { signal }).catch(() => {});
  }
}

async function removeHelpers(engine: Engine, jobId: string) {
  await Promise.all((await engine.helperContainers(jobId)).map((helper) => engine.removeContainer(helper)));
}

/**
 * The stop window: stops `containers`, runs `work`, and starts them again as soon as it ends, whether it
 * succeeded or not, then checks that they run. The downtime (first stop to last start) goes to
 * `record.started`. The window has a maximum (LIFEBOAT_MAX_DOWNTIME_S): past it the work is aborted.
 * Containers that do not start are retried in the background while the job keeps its leases. Work that
 * throws NotSafeToStart has its `makeSafe` run first (retried with the starts); the error it carries is
 * the window's. `onStarting` is announced alongside the starts: a database error must not keep them from starting.
 */
export async function whileStopped<T>(
  { job, engine, containers, record, onStarting }: { job: RunningJob; engine: Engine; containers: ContainerRef[]; record: RestartRecorder; onStarting?: () => Promise<unknown> },
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  await job.confirmOwnership();
  const { maxDowntimeMs } = jobTiming();
  const window = new AbortController();
  const limit = setTimeout(
    () =>
      window.abort(
        new JobAborted(
          'failed',
          `the containers were stopped for ${maxDowntimeMs / 1000} s, the most allowed (LIFEBOAT_MAX_DOWNTIME_S): the job was stopped and its containers started again`,
        ),
      ),
    maxDowntimeMs,
  );
  const signal = AbortSignal.any([job.signal, window.signal]);
  const firstStop = Date.now();
  if (containers.length) job.reportProgress({ downSince: firstStop, downMs: null });
  let makeSafe: MakeSafe | undefined;
  try {
    // All at once: the downtime is the slowest stop, not their sum.
    await stopAll(engine, containers);
    signal.throwIfAborted();
    // The work itself must stop on `signal` (the engine's streams and calls do): the containers start only
    // once it has, never while it may still be writing into their volumes.
    return await work(signal);
  } catch (error) {
    if (error instanceof NotSafeToStart) makeSafe = error.makeSafe;
    // What aborted the window says more than the stream it broke.
    throw signal.aborted ? signal.reason : error instanceof NotSafeToStart ? error.reason : error;
  } finally {
    clearTimeout(limit);
    await startAgain({ job, engine, containers, record, onStarting, firstStop, makeSafe });
  }
}

async function startAgain({
  job,
  engine,
  containers,
  record,
  onStarting,
  firstStop,
  makeSafe,
}: {
  job: RunningJob;
  engine: Engine;
  containers: ContainerRef[];
  record: RestartRecorder;
  onStarting?: () => Promise<unknown>;
  firstStop: number;
  makeSafe?: MakeSafe;
}) {
  const safe = makeSafe ? await makeSafe(engine).catch((error: unknown) => error) : true;
  if (safe === false) return;
  const announcing = (onStarting?.() ?? Promise.resolve()).catch(() => {});
  let lastStart = Date.now();
  const failures =
    safe === true
      ? await startContainers(engine, containers, () => (lastStart = Date.now())).catch((error) => [{ name: 'the node', reason: messageOf(error) }])
      : [{ name: 'the node', reason: messageOf(safe) }];
  await announcing;
  if (failures.length === 0) {
    if (containers.length) job.reportProgress({ downMs: lastStart - firstStop });
    await job.record((tx) => record.started(tx, containers.length ? lastStart - firstStop : null)).catch(logFailure(job.id));
    return;
  }
  const notYet =
    safe === true ? `not started again yet: ${describeStartFailures(failures)}` : `not started again yet: the volumes must be put back first, and that failed (${messageOf(safe)})`;
  await job.record((tx) => record.warn(tx, `${notYet}. Lifeboat keeps trying.`)).catch(logFailure(job.id));
  job.restartingInBackground(
    putNodeBack(async () => engine, job.id, containers, { signal: job.takenSignal, makeSafe: safe === true ? undefined : makeSafe }).then(async (left) => {
      if (left === 'left-stopped') return true;
      await job.record((tx) =>
        left.length === 0
          ? record.started(tx, null, 'the containers started again once the engine came back')
          : record.warn(tx, `not started again: ${describeStartFailures(left)}. Lifeboat keeps trying; or start them by hand.`),
      );
      return left.length === 0;
    }),
  );
}

function logFailure(jobId: string) {
  return (error: unknown) => console.error(`lifeboat: job ${jobId}: recording its containers failed: ${messageOf(error)}`);
}
