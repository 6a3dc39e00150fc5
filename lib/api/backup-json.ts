import 'server-only';
import type { BackupView } from '@/lib/history/backup-history';
import type { LiveProgress } from '@/lib/jobs/job-progress';
import { isRunning } from '@/lib/jobs/job-states';

/** The public JSON of a backup: the history row, and live progress (from the job's row) while it runs. */
export function toBackupJson(backup: BackupView, progress: LiveProgress | null = null) {
  return {
    id: backup.id,
    kind: backup.kind,
    policy: backup.policy,
    node: { id: backup.nodeId, hostname: backup.nodeHostname },
    volumes: backup.volumes,
    scope: backup.scope,
    note: backup.note,
    requestedBy: backup.requestedBy,
    status: backup.status,
    running: isRunning(backup.status),
    phase: backup.phase,
    error: backup.error,
    warning: backup.warning,
    startedAt: backup.startedAt,
    finishedAt: backup.finishedAt,
    downtimeMs: backup.downtimeMs,
    timings: backup.timings,
    plainBytes: backup.plainBytes,
    encryptedBytes: backup.encryptedBytes,
    sha256: backup.sha256,
    encryptedTo: backup.encryptedTo,
    fileName: backup.fileName,
    stored: backup.stored,
    fileDeletedAt: backup.fileDeletedAt,
    pruned: backup.pruned,
    ucpVersion: backup.ucpVersion,
    stoppedContainers: backup.stoppedContainers.map((c) => c.name),
    containersStartedAt: backup.containersStartedAt,
    verification: backup.verification,
    progress,
  };
}
