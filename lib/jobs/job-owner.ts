import 'server-only';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

const timing = z.object({
  LIFEBOAT_JOB_HEARTBEAT_MS: z.coerce.number().int().positive().default(5_000),
  LIFEBOAT_JOB_DEAD_AFTER_MS: z.coerce.number().int().positive().default(30_000),
  LIFEBOAT_MAX_DOWNTIME_S: z.coerce.number().positive().default(600),
  LIFEBOAT_SHUTDOWN_WAIT_S: z.coerce.number().nonnegative().default(60),
});

/** Read when asked, not at import: a test sets them for the processes it starts. */
export function jobTiming() {
  const env = timing.parse(process.env);
  return {
    heartbeatMs: env.LIFEBOAT_JOB_HEARTBEAT_MS,
    deadAfterMs: env.LIFEBOAT_JOB_DEAD_AFTER_MS,
    maxDowntimeMs: env.LIFEBOAT_MAX_DOWNTIME_S * 1000,
    shutdownWaitMs: env.LIFEBOAT_SHUTDOWN_WAIT_S * 1000,
  };
}

/** What the heartbeat needs of a job this process runs. */
export type LocalJob = {
  id: string;
  /** Another process took the job over: stop acting on it. */
  fenced(): void;
  /** A user asked to cancel it. */
  cancel(): void;
  /** Resolves once its leases are released; for a job taken over, once its work here has stopped. */
  readonly released: Promise<void>;
  /** Stops it from outside its work (shutdown). */
  interrupt(message: string): void;
};

/**
 * `jobs`: the jobs it owns and heart-beats. `fencedWork`: jobs another process took over whose work here
 * has not stopped yet; a shutdown waits for it too, because stopping is when it removes the files it made.
 */
type Owner = { id: string; pid: number; draining: boolean; jobs: Map<string, LocalJob>; fencedWork: Set<Promise<void>> };

/** This process as the owner of jobs: one identity per process, whatever copies of this module load. */
export const processOwner: Owner = ((globalThis as { lifeboatOwner?: Owner }).lifeboatOwner ??= {
  id: randomUUID(),
  pid: process.pid,
  draining: false,
  jobs: new Map(),
  fencedWork: new Set(),
});

/** Whether a process of this machine still runs (the data directory is local, so its owners are too). */
export function pidAlive(pid: number) {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
