import 'server-only';
import { upcoming, type PolicyRunView, type PolicyView } from '@/lib/policies/policy-store';
import { clockText } from '@/lib/policies/schedule';

/** A policy as the API shows it: business hours as "HH:MM", with its next three runs. */
export function toPolicyJson(policy: PolicyView) {
  const { next, inBusinessHours } = upcoming(policy);
  return {
    id: policy.id,
    name: policy.name,
    cron: policy.cron,
    timeZone: policy.timeZone,
    target: policy.target,
    node: policy.node,
    scope: policy.scope,
    keys: policy.keys,
    missedRuns: policy.missedRuns,
    verify: policy.verify,
    ...policy.retention,
    outageConsent: policy.outageConsent,
    businessDays: policy.businessHours.days,
    businessStart: clockText(policy.businessHours.start),
    businessEnd: clockText(policy.businessHours.end),
    enabled: policy.enabled,
    nextRuns: next.map((d) => d.toISOString()),
    runsInBusinessHours: inBusinessHours.map((d) => d.toISOString()),
    createdBy: policy.createdBy,
    createdAt: policy.createdAt.toISOString(),
  };
}

export function toPolicyRunJson(run: PolicyRunView) {
  return {
    id: run.id,
    policyId: run.policyId,
    scheduledFor: run.scheduledFor.toISOString(),
    trigger: run.trigger,
    state: run.state,
    message: run.message,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    backups: run.backups,
  };
}
