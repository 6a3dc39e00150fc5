import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import { jobTiming, processOwner } from './job-owner';
import { stopJobSupervisor } from './recovery';

/**
 * On SIGTERM: no new job starts; every running job is cut short (its stop window closes with the
 * containers started, and it is recorded as interrupted); waits up to `timeoutMs` for them to let go of
 * their nodes, and for the work of jobs taken over from it to stop (LIFEBOAT_SHUTDOWN_WAIT_S). What is
 * still held then (containers an engine down would not start) is recovered by another process, or at
 * the next start.
 */
export async function drainJobs(timeoutMs = jobTiming().shutdownWaitMs) {
  processOwner.draining = true;
  stopJobSupervisor();
  const jobs = [...processOwner.jobs.values()];
  for (const job of jobs) job.interrupt('interrupted: the server was shut down while the job ran; its containers were started again');
  await Promise.race([Promise.all([...jobs.map((j) => j.released), ...processOwner.fencedWork]), sleep(timeoutMs, undefined, { ref: false })]);
  return { cutShort: jobs.length, stillHeld: processOwner.jobs.size };
}
