import 'server-only';
import { archiveFileName } from '@/lib/backup/backup-plan';
import { startBackup } from '@/lib/backup/backup-run';
import { discoverCluster } from '@/lib/cluster/discovery';
import { controllerStates } from '@/lib/cluster/merge';
import { recordAudit } from '@/lib/audit/audit-log';
import { db, type Db } from '@/lib/db';
import { LifeboatError, messageOf } from '@/lib/errors';
import { getBackup, recordUnstartedBackup, type PolicyLabel } from '@/lib/history/backup-history';
import { jobTiming, processOwner } from '@/lib/jobs/job-owner';
import { newSessionKey } from '@/lib/crypto/archive-encryption';
import { verifyBackup } from '@/lib/restore/verify';
import { getPolicy, type PolicyView } from './policy-store';
import { applyRetention } from './retention-run';

/** A run this process claimed (lib/policies/scheduler.ts) and now carries out. `note`: what the claim found (runs missed before it), kept at the head of its outcome. */
export type ClaimedRun = { id: string; policyId: string; trigger: 'schedule' | 'missed' | 'manual'; requestedBy: string; note?: string | null };

type Outcome = { node: string; status: string; reason: string | null };

const TRIGGER_NOTES = { schedule: 'scheduled run', missed: 'run missed while no server ran, made up at start', manual: 'Run now' } as const;

/**
 * Carries out a run: one backup at a time, each a job like any other (its leases, the quorum guard, the
 * stop rules). A backup the guard refuses is recorded as skipped, with the reason, and the run goes on to
 * the next controller: "all controllers" never has two stopped at once. Never rejects.
 */
export async function executeRun(run: ClaimedRun): Promise<void> {
  const beat = setInterval(() => void stillOurs(run.id).catch(() => {}), jobTiming().heartbeatMs);
  beat.unref();
  let end: { state: string; message: string };
  try {
    end = summarize(await backUpTargets(await getPolicy(run.policyId), run));
    // The retention as the policy has it now (it may have been edited while the run went on).
    const retention = await applyRetention(await getPolicy(run.policyId));
    if (retention.pruned > 0) end.message += `; retention pruned ${retention.pruned} archive${retention.pruned === 1 ? '' : 's'}`;
    if (retention.problems.length > 0) end.message += `; left for the next run: ${retention.problems.join('; ')}`;
  } catch (error) {
    end = { state: 'failed', message: messageOf(error) };
  } finally {
    clearInterval(beat);
  }
  if (run.note) end.message = `${run.note}; ${end.message}`;
  // Only while the run is still this process's: one declared dead (paused) has been marked interrupted.
  await db.policyRun
    .updateMany({ where: { id: run.id, state: 'running', ownerId: processOwner.id }, data: { ...end, finishedAt: new Date() } })
    .catch((error) => console.error(`lifeboat: policy run ${run.id}: recording how it ended failed: ${messageOf(error)}`));
}

async function backUpTargets(policy: PolicyView, run: ClaimedRun): Promise<Outcome[]> {
  const label: PolicyLabel = { id: policy.id, name: policy.name, runId: run.id };
  const controllers = controllerStates(await discoverCluster())
    .map((c) => c.hostname)
    .sort();
  const targets = await targetsOf(policy, controllers);
  if (targets.length === 0) {
    const reason = 'no controller was found: no engine of the cluster answers';
    await recordUnstarted(policy, label, run, null, { status: 'failed', reason });
    return [{ node: 'the controllers', status: 'failed', reason }];
  }
  const outcomes: Outcome[] = [];
  for (const node of targets) {
    if (processOwner.draining || !(await stillOurs(run.id))) {
      outcomes.push({ node, status: 'interrupted', reason: 'the server stopped before this backup began' });
      break;
    }
    const outcome = await backUpOne(policy, label, run, node, controllers);
    // A scheduled backup is in the audit log like one a person asked for, with the policy as who.
    await recordAudit({
      actor: `policy:${policy.name}`,
      address: '',
      action: 'policy.backup',
      target: node,
      result: outcome.status === 'succeeded' || outcome.status === 'warning' ? 'ok' : outcome.status === 'skipped' ? 'refused' : 'failed',
      detail: outcome.reason ?? outcome.status,
    });
    outcomes.push(outcome);
  }
  return outcomes;
}

/** Who the run backs up: the policy's node, every controller by name, or the next one in rotation (remembered). */
async function targetsOf(policy: PolicyView, controllers: string[]): Promise<string[]> {
  if (policy.target === 'node') return [policy.node!];
  if (policy.target === 'all-controllers' || controllers.length === 0) return controllers;
  const next = controllers.find((c) => c > (policy.lastRotated ?? '')) ?? controllers[0];
  await db.policy.update({ where: { id: policy.id }, data: { lastRotated: next } });
  return [next];
}

async function backUpOne(policy: PolicyView, label: PolicyLabel, run: ClaimedRun, node: string, controllers: string[]): Promise<Outcome> {
  const consentNeeded = controllers.includes(node) && controllers.length <= 2 && !policy.outageConsent;
  if (consentNeeded) {
    const reason = `this cluster has ${controllers.length} controller${controllers.length === 1 ? '' : 's'}: backing up ${node} stops the control plane, and the policy was saved without the outage consent (edit it and confirm that its runs stop the control plane)`;
    await recordUnstarted(policy, label, run, node, { status: 'skipped', reason });
    return { node, status: 'skipped', reason };
  }
  // The archive's session key, held here in memory and nowhere else: it verifies the archive without a private key.
  const sessionKey = policy.verify ? newSessionKey() : undefined;
  try {
    const started = await startBackup({
      node,
      keys: policy.keys,
      rootCaOnly: policy.scope === 'root-ca',
      confirmOutage: policy.outageConsent,
      requestedBy: run.requestedBy,
      note: TRIGGER_NOTES[run.trigger],
      kind: 'scheduled',
      policy: label,
      sessionKey,
    });
    // The next controller waits until this one's UCP runs again (a job holds its leases until then).
    await started.done;
    await started.released;
    const backup = await getBackup(started.id);
    const stored = backup.stored && (backup.status === 'succeeded' || backup.status === 'warning');
    if (!sessionKey || !stored) return { node, status: backup.status, reason: backup.error };
    return await verifyBackup(backup.id, { sessionKey }).then(
      () => ({ node, status: backup.status, reason: null }),
      (error) => ({ node, status: 'failed', reason: `stored, but its verification failed: ${messageOf(error)}` }),
    );
  } catch (error) {
    // Refused before anything stopped: the guard (or a job holding the node) is a skip; anything else, a failure.
    const status = error instanceof LifeboatError && error.code === 'conflict' ? 'skipped' : 'failed';
    const reason = messageOf(error);
    await recordUnstarted(policy, label, run, node, { status, reason });
    return { node, status, reason };
  } finally {
    sessionKey?.fill(0);
  }
}

/** A backup of the run that never started, in the history (`node` null: the run reached no node). */
export async function recordUnstarted(
  policy: PolicyView,
  label: PolicyLabel,
  run: Pick<ClaimedRun, 'trigger' | 'requestedBy'>,
  node: string | null,
  outcome: { status: 'skipped' | 'failed'; reason: string },
  tx?: Db,
) {
  await recordUnstartedBackup(
    {
      nodeHostname: node,
      scope: policy.scope,
      requestedBy: run.requestedBy,
      note: TRIGGER_NOTES[run.trigger],
      fileName: node ? archiveFileName(node, new Date()) : '',
      encryptedTo: { passphrase: false, keys: policy.keys.map((fingerprint) => ({ fingerprint, userId: '' })) },
      policy: label,
    },
    outcome,
    tx,
  );
}

/** Heart-beats the run; false once it is no longer this process's to carry on (given up by another). */
async function stillOurs(runId: string) {
  const { count } = await db.policyRun.updateMany({ where: { id: runId, state: 'running', ownerId: processOwner.id }, data: { heartbeatAt: new Date() } });
  return count > 0;
}

/** The run's state: failed if any backup failed, skipped if none ran, else succeeded; the message says each node's outcome. */
export function summarize(outcomes: Outcome[]): { state: string; message: string } {
  const good = outcomes.filter((o) => o.status === 'succeeded' || o.status === 'warning').length;
  const skipped = outcomes.filter((o) => o.status === 'skipped').length;
  const state = good + skipped < outcomes.length ? 'failed' : good > 0 ? 'succeeded' : 'skipped';
  return { state, message: outcomes.map((o) => `${o.node}: ${o.status}${o.reason ? ` (${o.reason})` : ''}`).join('; ') };
}
