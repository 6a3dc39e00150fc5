import 'server-only';
import { findNode } from '@/lib/cluster/discovery';
import { db, takeWriteLock } from '@/lib/db';
import type { Policy, PolicyRun } from '@/lib/generated/prisma/client';
import { LifeboatError } from '@/lib/errors';
import { recipientKeys } from '@/lib/keys/public-keys';
import type { PolicyInput, PolicyTarget } from '@/lib/validations/policy';
import type { RetentionRules } from './retention';
import { nextRuns, runsInBusinessHours, type BusinessHours } from './schedule';

/** The one place that records policies and their runs' outcomes. */

export type PolicyView = ReturnType<typeof toPolicyView>;
export type PolicyRunView = ReturnType<typeof toRunView>;

export function toPolicyView(row: Policy) {
  return {
    id: row.id,
    name: row.name,
    cron: row.cron,
    timeZone: row.timeZone,
    target: row.target as PolicyTarget,
    node: row.node,
    scope: row.scope as 'ucp' | 'root-ca',
    keys: JSON.parse(row.keys) as string[],
    missedRuns: row.missedRuns as 'run-once' | 'skip',
    verify: row.verify,
    retention: { keepLast: row.keepLast, keepDaily: row.keepDaily, keepWeekly: row.keepWeekly, keepMonthly: row.keepMonthly } satisfies RetentionRules,
    outageConsent: row.outageConsent,
    businessHours: { days: row.businessDays.split(',').filter(Boolean).map(Number), start: row.businessStart, end: row.businessEnd } satisfies BusinessHours,
    enabled: row.enabled,
    scheduleFrom: row.scheduleFrom,
    lastScheduledFor: row.lastScheduledFor,
    lastRotated: row.lastRotated,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
  };
}

function toRunView(row: PolicyRun & { backups?: { id: string; nodeHostname: string; status: string }[] }) {
  return {
    id: row.id,
    policyId: row.policyId,
    scheduledFor: row.scheduledFor,
    trigger: row.trigger as 'schedule' | 'missed' | 'manual',
    state: row.state as 'running' | 'succeeded' | 'failed' | 'skipped' | 'interrupted',
    message: row.message,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    backups: row.backups ?? [],
  };
}

/** When the policy runs next (none while it is disabled), and which of the coming week's runs fall in business hours. */
export function upcoming(policy: PolicyView, now = new Date()) {
  if (!policy.enabled) return { next: [], inBusinessHours: [] };
  return { next: nextRuns(policy, 3, now), inBusinessHours: runsInBusinessHours(policy, policy.businessHours, now) };
}

export async function createPolicy(input: PolicyInput, createdBy: string): Promise<PolicyView> {
  await refuseUnfitTarget(input);
  await recipientKeys(input.keys);
  await refuseTakenName(input.name);
  const row = await db.policy.create({ data: { ...fieldsOf(input), createdBy, scheduleFrom: new Date() } });
  return toPolicyView(row);
}

/** Saves a policy. A new schedule, or enabling it again, counts runs from now: what it would have run before is not owed. */
export async function updatePolicy(id: string, input: PolicyInput): Promise<PolicyView> {
  const before = await getPolicy(id);
  await refuseUnfitTarget(input);
  await recipientKeys(input.keys);
  await refuseTakenName(input.name, id);
  const rescheduled = before.cron !== input.cron || before.timeZone !== input.timeZone || (!before.enabled && input.enabled);
  const row = await db.policy.update({ where: { id }, data: { ...fieldsOf(input), ...(rescheduled ? { scheduleFrom: new Date() } : {}) } });
  return toPolicyView(row);
}

export async function setPolicyEnabled(id: string, enabled: boolean): Promise<PolicyView> {
  const before = await getPolicy(id);
  const row = await db.policy.update({ where: { id }, data: { enabled, ...(enabled && !before.enabled ? { scheduleFrom: new Date() } : {}) } });
  return toPolicyView(row);
}

/** Deletes a policy and its runs; its backups stay in the history, labelled with its name. */
export async function deletePolicy(id: string) {
  const policy = await getPolicy(id);
  // Under the write lock that claims take: no run is claimed between the check and the delete.
  await db.$transaction(async (tx) => {
    await takeWriteLock(tx);
    const running = await tx.policyRun.count({ where: { policyId: id, state: 'running' } });
    if (running > 0) throw new LifeboatError('conflict', `a run of "${policy.name}" is under way: delete the policy once it ends (or disable it now)`);
    await tx.policy.delete({ where: { id } });
  });
}

export async function getPolicy(id: string): Promise<PolicyView> {
  const row = await db.policy.findUnique({ where: { id } });
  if (!row) throw new LifeboatError('not_found', `no policy ${id}`);
  return toPolicyView(row);
}

export async function listPolicies(): Promise<PolicyView[]> {
  return (await db.policy.findMany({ orderBy: { name: 'asc' } })).map(toPolicyView);
}

/** A policy's latest runs, newest first, with the backups each made. */
export async function listPolicyRuns(policyId: string, take = 5): Promise<PolicyRunView[]> {
  const runs = await db.policyRun.findMany({ where: { policyId }, orderBy: { startedAt: 'desc' }, take });
  const backups = await db.backup.findMany({
    where: { policyRunId: { in: runs.map((r) => r.id) } },
    select: { id: true, nodeHostname: true, status: true, policyRunId: true },
    orderBy: { startedAt: 'asc' },
  });
  return runs.map((run) => toRunView({ ...run, backups: backups.filter((b) => b.policyRunId === run.id).map(({ id, nodeHostname, status }) => ({ id, nodeHostname, status })) }));
}

export async function getPolicyRun(id: string): Promise<PolicyRunView> {
  const run = await db.policyRun.findUnique({ where: { id } });
  if (!run) throw new LifeboatError('not_found', `no policy run ${id}`);
  const backups = await db.backup.findMany({ where: { policyRunId: id }, select: { id: true, nodeHostname: true, status: true }, orderBy: { startedAt: 'asc' } });
  return toRunView({ ...run, backups });
}

function fieldsOf(input: PolicyInput) {
  return {
    name: input.name,
    cron: input.cron,
    timeZone: input.timeZone,
    target: input.target,
    node: input.node,
    scope: input.scope,
    keys: JSON.stringify(input.keys),
    missedRuns: input.missedRuns,
    verify: input.verify,
    ...input.retention,
    outageConsent: input.outageConsent,
    businessDays: input.businessDays.join(','),
    businessStart: input.businessStart,
    businessEnd: input.businessEnd,
    enabled: input.enabled,
  };
}

/** One node: a controller of the cluster (a worker has no UCP volumes to back up). */
async function refuseUnfitTarget(input: PolicyInput) {
  if (input.target !== 'node' || !input.node) return;
  const node = await findNode(input.node);
  if (node.role !== 'manager') throw new LifeboatError('invalid_input', `${node.hostname} is a worker: stateless, it has no UCP volumes for a policy to back up`);
}

async function refuseTakenName(name: string, exceptId?: string) {
  const taken = await db.policy.findUnique({ where: { name }, select: { id: true } });
  if (taken && taken.id !== exceptId) throw new LifeboatError('conflict', `a policy is already named "${name}"`);
}
