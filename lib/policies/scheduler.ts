import 'server-only';
import { z } from 'zod';
import { repeat } from '@/lib/background';
import { db, takeWriteLock } from '@/lib/db';
import type { Policy } from '@/lib/generated/prisma/client';
import { LifeboatError, messageOf } from '@/lib/errors';
import { jobTiming, processOwner } from '@/lib/jobs/job-owner';
import { executeRun, recordUnstarted, type ClaimedRun } from './policy-run';
import { getPolicy, getPolicyRun, toPolicyView } from './policy-store';
import { dueRun, MISSED_COUNT_LIMIT } from './schedule';

/** A run due longer ago than this was missed (no server ran then): the policy says whether to make it up. */
export const MISSED_AFTER_MS = 5 * 60_000;

const schedulerTiming = z.object({ LIFEBOAT_SCHEDULER_TICK_MS: z.coerce.number().int().positive().default(15_000) });

/** Claims the runs due at `now` and starts each as soon as it is claimed. One policy's failure does not hold up the others. */
export async function runDuePolicies(now = new Date()) {
  for (const policy of await db.policy.findMany({ where: { enabled: true } })) {
    try {
      const run = await claimDueRun(policy, now);
      if (run) void executeRun(run);
    } catch (error) {
      console.error(`lifeboat: policy "${policy.name}": claiming its run failed: ${messageOf(error)}`);
    }
  }
}

/**
 * Claims the policy's newest run due at `now`, if any. The claim is one transaction under the write lock
 * that moves the policy's `lastScheduledFor` forward and creates the run, whose (policy, time) pair is
 * unique: two server processes never claim the same run. A run it must skip (a missed one the policy
 * skips, or one due while the previous run goes on) is recorded as skipped in the same transaction.
 * Returns the run to carry out.
 */
export async function claimDueRun(policy: Policy, now: Date): Promise<ClaimedRun | null> {
  const after = new Date(Math.max(policy.scheduleFrom.getTime(), policy.lastScheduledFor?.getTime() ?? 0));
  const due = dueRun(policy, after, now, MISSED_AFTER_MS);
  if (!due) return null;
  const view = toPolicyView(policy);
  return db.$transaction(async (tx) => {
    await takeWriteLock(tx);
    const fresh = await tx.policy.findUnique({ where: { id: policy.id } });
    // Another process claimed it meanwhile, or the policy changed since it was read: the next tick sees it as it is.
    if (!fresh?.enabled || fresh.updatedAt.getTime() !== policy.updatedAt.getTime()) return null;
    if (fresh.lastScheduledFor && fresh.lastScheduledFor >= due.scheduledFor) return null;
    await tx.policy.update({ where: { id: policy.id }, data: { lastScheduledFor: due.scheduledFor, updatedAt: policy.updatedAt } });
    const previous = await tx.policyRun.findFirst({ where: { policyId: policy.id, state: 'running' }, select: { startedAt: true } });
    const skip = previous
      ? `the previous run (started ${previous.startedAt.toISOString()}) is still under way`
      : !due.onTime && policy.missedRuns === 'skip'
        ? `missed: no Lifeboat server ran at ${due.scheduledFor.toISOString()}, and this policy skips missed runs`
        : null;
    const atLeast = due.missedBefore >= MISSED_COUNT_LIMIT ? 'at least ' : '';
    const missed = due.missedBefore > 0 ? `${atLeast}${due.missedBefore} earlier run${due.missedBefore === 1 ? ' was' : 's were'} missed while no server ran` : null;
    const row = await tx.policyRun.create({
      data: {
        policyId: policy.id,
        scheduledFor: due.scheduledFor,
        trigger: due.onTime ? 'schedule' : 'missed',
        state: skip ? 'skipped' : 'running',
        message: [skip, missed].filter(Boolean).join('; ') || null,
        ownerId: processOwner.id,
        finishedAt: skip ? new Date() : null,
      },
    });
    const run: ClaimedRun = { id: row.id, policyId: policy.id, trigger: row.trigger as ClaimedRun['trigger'], requestedBy: `policy "${policy.name}"`, note: row.message };
    if (!skip) return run;
    // In the history too, labelled with its policy (a run of several controllers reached none: its event alone).
    await recordUnstarted(view, { id: policy.id, name: policy.name, runId: run.id }, run, view.target === 'node' ? view.node : null, { status: 'skipped', reason: skip }, tx);
    return null;
  });
}

/** "Run now": a run of its own, outside the schedule, refused while another run of the policy is under way. */
export async function runPolicyNow(policyId: string, requestedBy: string) {
  const policy = await getPolicy(policyId);
  const row = await db.$transaction(async (tx) => {
    await takeWriteLock(tx);
    if (processOwner.draining) throw new LifeboatError('conflict', 'this Lifeboat server is shutting down: try again in a moment');
    const previous = await tx.policyRun.findFirst({ where: { policyId, state: 'running' }, select: { startedAt: true } });
    if (previous) throw new LifeboatError('conflict', `a run of "${policy.name}" is under way (started ${previous.startedAt.toISOString()}): wait for it to end`);
    return tx.policyRun.create({ data: { policyId, scheduledFor: new Date(), trigger: 'manual', ownerId: processOwner.id } });
  });
  void executeRun({ id: row.id, policyId, trigger: 'manual', requestedBy });
  return getPolicyRun(row.id);
}

/** Runs whose process stopped heart-beating them (it died, or is paused) end as interrupted; their backups' jobs recover on their own. */
export async function giveUpAbandonedRuns(now = new Date()) {
  await db.policyRun.updateMany({
    where: { state: 'running', heartbeatAt: { lt: new Date(now.getTime() - jobTiming().deadAfterMs) } },
    data: { state: 'interrupted', message: 'the Lifeboat server running it stopped before the run ended', finishedAt: now },
  });
}

/** At shutdown, once the jobs are drained: this process's runs end as interrupted (the next scheduled one is not held up). */
export async function interruptOwnRuns() {
  await db.policyRun.updateMany({
    where: { state: 'running', ownerId: processOwner.id },
    data: { state: 'interrupted', message: 'the Lifeboat server running it was shut down before the run ended', finishedAt: new Date() },
  });
}

async function tick() {
  if (processOwner.draining) return;
  await giveUpAbandonedRuns();
  await runDuePolicies();
}

const scheduler = globalThis as { lifeboatScheduler?: NodeJS.Timeout };

/** Every server process runs the scheduler; the claims keep them from running a run twice. */
export function startPolicyScheduler() {
  scheduler.lifeboatScheduler ??= repeat(tick, schedulerTiming.parse(process.env).LIFEBOAT_SCHEDULER_TICK_MS, 'policy scheduler');
}
