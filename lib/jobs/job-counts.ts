import 'server-only';
import { db } from '@/lib/db';
import { RUNNING_STATES, type JobKind } from './job-states';

/** How many jobs of each kind run now, in any server process (a dead owner's count until they are recovered). */
export async function runningJobCounts(): Promise<Record<JobKind, number>> {
  const groups = await db.job.groupBy({ by: ['kind'], where: { state: { in: [...RUNNING_STATES] } }, _count: { _all: true } });
  const counts: Record<JobKind, number> = { backup: 0, restore: 0, verify: 0 };
  for (const g of groups) counts[g.kind as JobKind] = g._count._all;
  return counts;
}
