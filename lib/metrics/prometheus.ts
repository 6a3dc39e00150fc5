import 'server-only';
import { Counter, Gauge, Registry } from 'prom-client';
import { backupFailures, lastGoodBackups } from '@/lib/history/backup-history';
import { restoreFailures } from '@/lib/history/restore-history';
import { runningJobCounts } from '@/lib/jobs/job-counts';
import { listPolicies } from '@/lib/policies/policy-store';
import { nextRuns } from '@/lib/policies/schedule';

/**
 * The metrics, in Prometheus's text format, from the history as it is now: every server process on the
 * data directory answers the same. A registry per scrape: nothing is counted in memory.
 */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  const [good, backupFailed, restoreFailed, running, policies] = await Promise.all([lastGoodBackups(), backupFailures(), restoreFailures(), runningJobCounts(), listPolicies()]);
  const registry = new Registry();
  const perNode = (name: string, help: string) => new Gauge({ name, help, labelNames: ['node'], registers: [registry] });
  const lastTime = perNode('lifeboat_last_good_backup_timestamp_seconds', "When the node's newest good backup started (succeeded, stored, not found broken)");
  const lastDuration = perNode('lifeboat_last_good_backup_duration_seconds', "How long the node's newest good backup took, from start to the archive stored");
  const lastSize = perNode('lifeboat_last_good_backup_size_bytes', "The size of the node's newest good archive (encrypted)");
  const lastDowntime = perNode('lifeboat_last_good_backup_downtime_seconds', "How long the node's newest good backup kept its containers stopped");
  for (const [node, backup] of good) {
    lastTime.set({ node }, backup.startedAt.getTime() / 1000);
    if (backup.finishedAt) lastDuration.set({ node }, (backup.finishedAt.getTime() - backup.startedAt.getTime()) / 1000);
    if (backup.encryptedBytes !== null) lastSize.set({ node }, backup.encryptedBytes);
    lastDowntime.set({ node }, (backup.downtimeMs ?? 0) / 1000);
  }
  const failures = new Counter({
    name: 'lifeboat_job_failures_total',
    help: 'Backups and restores (dry runs included) that failed or were interrupted',
    labelNames: ['kind', 'node'],
    registers: [registry],
  });
  for (const [node, count] of backupFailed) failures.inc({ kind: 'backup', node }, count);
  for (const [node, count] of restoreFailed) failures.inc({ kind: 'restore', node }, count);
  const jobs = new Gauge({ name: 'lifeboat_jobs_running', help: 'Jobs running now, by kind', labelNames: ['kind'], registers: [registry] });
  for (const [kind, count] of Object.entries(running)) jobs.set({ kind }, count);
  const nextRun = new Gauge({
    name: 'lifeboat_policy_next_run_timestamp_seconds',
    help: "When each enabled policy's next run is due",
    labelNames: ['policy'],
    registers: [registry],
  });
  for (const policy of policies.filter((p) => p.enabled)) {
    const [next] = nextRuns(policy, 1);
    if (next) nextRun.set({ policy: policy.name }, next.getTime() / 1000);
  }
  return { contentType: registry.contentType, body: await registry.metrics() };
}
