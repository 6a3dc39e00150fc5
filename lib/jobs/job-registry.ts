import 'server-only';
import type { GrowingFile } from '@/lib/archive/growing-file';

export type JobProgress = {
  phase: string;
  volume: string | null;
  bytesRead: number;
  bytesTotal: number | null;
  startedAt: number;
  encryptedBytes: number;
};

/** A backup or restore running in this process. */
export type Job = {
  id: string;
  kind: 'backup' | 'restore';
  /** Swarm node ID (or hostname when unknown) and hostname of the node it works on. */
  nodeKey: string;
  hostname: string;
  /** True when the job stops UCP on a controller: the quorum guard counts it. */
  stopsControlPlane: boolean;
  /** True when no other job may work on the node meanwhile (a dry run does not). */
  holdsNode: boolean;
  progress: JobProgress;
  /** The encrypted archive as it is written, for downloads that follow it. */
  archive: GrowingFile | null;
};

// Server actions and route handlers may load separate copies of this module: keep one registry per process.
const registry = ((globalThis as { lifeboatJobs?: { jobs: Map<string, Job>; lock: Promise<unknown> } }).lifeboatJobs ??= {
  jobs: new Map(),
  lock: Promise.resolve(),
});

export function addJob(job: Job) {
  registry.jobs.set(job.id, job);
}

export function removeJob(id: string) {
  registry.jobs.delete(id);
}

export function getJob(id: string): Job | undefined {
  return registry.jobs.get(id);
}

export function activeJobs(): Job[] {
  return [...registry.jobs.values()];
}

/**
 * Runs `section` after every earlier one has finished: checks that must see each other's
 * reservations (the quorum guard, one job per node) run here, so two requests at the same moment
 * cannot both pass.
 */
export function exclusively<T>(section: () => Promise<T>): Promise<T> {
  const result = registry.lock.then(section, section);
  registry.lock = result.catch(() => {});
  return result;
}
