import 'server-only';
import { db } from '@/lib/db';
import { messageOf } from '@/lib/errors';
import { jobTiming, processOwner } from './job-owner';

let timer: NodeJS.Timeout | null = null;
let beating: Promise<void> | null = null;

/**
 * While this process owns jobs, it says so every few seconds: a job whose owner falls silent (or whose
 * process is gone) is taken over by another process. A job taken over here is fenced: it stops acting.
 */
export function ensureHeartbeat() {
  if (timer) return;
  timer = setInterval(() => {
    beating ??= beat()
      .catch((error) => console.error(`lifeboat: job heartbeat failed: ${messageOf(error)}`))
      .finally(() => (beating = null));
  }, jobTiming().heartbeatMs);
  timer.unref();
}

async function beat() {
  const jobs = [...processOwner.jobs.values()];
  if (jobs.length === 0) {
    clearInterval(timer!);
    timer = null;
    return;
  }
  const rows = await db.job.findMany({ where: { id: { in: jobs.map((j) => j.id) } }, select: { id: true, ownerId: true, cancelRequestedAt: true } });
  const mine = new Map(rows.filter((r) => r.ownerId === processOwner.id).map((r) => [r.id, r]));
  for (const job of jobs) {
    const row = mine.get(job.id);
    if (!row) job.fenced();
    else if (row.cancelRequestedAt) job.cancel();
  }
  await db.job.updateMany({ where: { id: { in: [...mine.keys()] }, ownerId: processOwner.id }, data: { heartbeatAt: new Date() } });
}
