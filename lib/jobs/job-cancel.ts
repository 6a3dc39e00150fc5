import 'server-only';
import { db } from '@/lib/db';
import { LifeboatError } from '@/lib/errors';
import { processOwner } from './job-owner';
import { isRunning, RUNNING_STATES, type JobKind } from './job-states';

/**
 * Asks a running job to stop. Its owner (this process at once, another at its next heartbeat) aborts it,
 * puts the node back as it was, and records it as cancelled. Refused for a job that has ended, or when
 * `refusal` says why it cannot be cancelled now.
 */
export async function requestCancel(kind: JobKind, id: string, refusal: () => Promise<string | null> = async () => null) {
  const refused = await refusal();
  if (refused) throw new LifeboatError('conflict', refused);
  const { count } = await db.job.updateMany({
    where: { id, kind, releasedAt: null, state: { in: [...RUNNING_STATES] } },
    data: { cancelRequestedAt: new Date() },
  });
  if (count === 0) {
    const row = await db.job.findUnique({ where: { id }, select: { kind: true, state: true } });
    if (!row || row.kind !== kind) throw new LifeboatError('not_found', `no ${kind} ${id}`);
    if (!isRunning(row.state)) throw new LifeboatError('conflict', `${kind} ${id} has ended (${row.state}): there is nothing to cancel`);
  }
  processOwner.jobs.get(id)?.cancel();
}
