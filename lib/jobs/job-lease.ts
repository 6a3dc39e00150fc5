import 'server-only';
import { db, takeWriteLock, type Db } from '@/lib/db';
import { LifeboatError } from '@/lib/errors';
import { processOwner } from './job-owner';
import type { RunningState } from './job-states';
import { checkLeases, type Lease, type LeaseClaim } from './lease-rules';
import { RunningJob, type HistoryMirror } from './running-job';

export type { LeaseClaim };

/**
 * Starts a job: in one short transaction, checks the leases every process holds (the node, the quorum),
 * then records the history row (`record`) and the job row. Slow engine calls belong before this.
 */
export async function acquireJob<T extends { id: string }>(
  claim: LeaseClaim,
  state: RunningState,
  record: (tx: Db) => Promise<T>,
  mirror: ((id: string) => HistoryMirror) | null,
): Promise<{ job: RunningJob; row: T }> {
  const row = await db.$transaction(async (tx) => {
    await takeWriteLock(tx);
    if (processOwner.draining) throw new LifeboatError('conflict', 'this Lifeboat server is shutting down: start the job again in a moment');
    checkLeases(claim, await activeLeases(tx), null);
    const row = await record(tx);
    await tx.job.create({
      data: {
        id: row.id,
        kind: claim.kind,
        state,
        nodeKey: claim.nodeKey,
        hostname: claim.hostname,
        holdsNode: claim.holdsNode,
        stopsControlPlane: claim.stopsControlPlane,
        ownerId: processOwner.id,
        ownerPid: processOwner.pid,
      },
    });
    return row;
  });
  return { job: new RunningJob(row.id, claim.kind, 1, state, mirror?.(row.id) ?? null), row };
}

/** The guard again for a running job, once it knows more (a restore, after its verification pass). */
export async function recheckLeases(jobId: string, claim: LeaseClaim) {
  await db.$transaction(async (tx) => {
    await takeWriteLock(tx);
    checkLeases(claim, await activeLeases(tx), jobId);
    await tx.job.update({ where: { id: jobId }, data: { stopsControlPlane: claim.stopsControlPlane, holdsNode: claim.holdsNode } });
  });
}

/** Every job whose leases still hold, whichever process owns it (a dead owner's hold until it is recovered). */
export async function activeLeases(tx: Db = db): Promise<Lease[]> {
  return tx.job.findMany({
    where: { releasedAt: null },
    select: { id: true, kind: true, nodeKey: true, hostname: true, holdsNode: true, stopsControlPlane: true },
  });
}
