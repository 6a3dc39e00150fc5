import 'server-only';
import type { RestoreView } from '@/lib/history/restore-history';
import { isRunning } from '@/lib/jobs/job-states';

/** The public JSON of a restore or dry run. */
export function toRestoreJson(restore: RestoreView) {
  return {
    id: restore.id,
    dryRun: restore.dryRun,
    status: restore.status,
    running: isRunning(restore.status),
    phase: restore.phase,
    error: restore.error,
    warning: restore.warning,
    source: { kind: restore.sourceKind, backupId: restore.backupId, upload: restore.uploadName, hostname: restore.sourceHostname },
    target: { id: restore.targetNodeId, hostname: restore.targetHostname },
    forced: restore.forced,
    requestedBy: restore.requestedBy,
    safetyBackupId: restore.safetyBackupId,
    /** null (untouched), writing, restored, put-back (as they were), or left (the node needs attention). */
    volumes: restore.volumesState,
    attention: restore.attention,
    stoppedContainers: restore.stoppedContainers.map((c) => c.name),
    downtimeMs: restore.downtimeMs,
    timings: restore.timings,
    startedAt: restore.startedAt,
    finishedAt: restore.finishedAt,
    report: restore.report,
  };
}
