import 'server-only';
import { db, type Db } from '@/lib/db';
import type { Restore } from '@/lib/generated/prisma/client';
import { LifeboatError } from '@/lib/errors';
import { isRunning, RUNNING_STATES, type JobState, type JobTimings, type RunningState } from '@/lib/jobs/job-states';
import type { ContainerRef, RestartRecorder } from '@/lib/jobs/stop-window';
import { enqueueEvent, outcomeEvent } from '@/lib/webhooks/webhook-events';
import { restartIntent } from './restart-intent';
import type { VerificationReport } from '@/lib/restore/report';
import type { Undo } from '@/lib/restore/safety-copy';

/** The one place that records restores and dry runs. Their state follows the job's (lib/jobs mirrors it here). */

export type RestoreStart = {
  sourceKind: 'backup' | 'upload';
  backupId: string | null;
  uploadId: string | null;
  uploadName: string | null;
  targetHostname: string;
  targetNodeId: string | null;
  endpointId: string | null;
  dryRun: boolean;
  forced: boolean;
  requestedBy: string;
};

export type RestoreView = ReturnType<typeof toView>;

/** Where a restore left its target's volumes (null: untouched). See the schema. */
export type VolumesState = 'writing' | 'restored' | 'put-back' | 'left';

function toView(row: Restore) {
  return {
    id: row.id,
    sourceKind: row.sourceKind as 'backup' | 'upload',
    backupId: row.backupId,
    uploadName: row.uploadName,
    sourceHostname: row.sourceHostname,
    targetHostname: row.targetHostname,
    targetNodeId: row.targetNodeId,
    endpointId: row.endpointId,
    dryRun: row.dryRun,
    forced: row.forced,
    requestedBy: row.requestedBy,
    status: row.status as JobState,
    phase: row.phase as RunningState,
    error: row.error,
    warning: row.warning,
    report: row.report ? (JSON.parse(row.report) as VerificationReport) : null,
    safetyBackupId: row.safetyBackupId,
    volumesState: row.volumesState as VolumesState | null,
    attention: row.attention,
    stoppedContainers: JSON.parse(row.stoppedContainers) as ContainerRef[],
    containersStartedAt: row.containersStartedAt,
    downtimeMs: row.downtimeMs,
    timings: row.timings ? (JSON.parse(row.timings) as JobTimings) : {},
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

export async function recordRestoreStart(start: RestoreStart, tx: Db = db): Promise<RestoreView> {
  return toView(await tx.restore.create({ data: { ...start, status: 'checking', phase: 'checking' } }));
}

/** The job's state, as lib/jobs moves it; the phase keeps the last running state. */
export function restoreMirror(id: string) {
  return async (tx: Db, state: JobState, timings: JobTimings, ending: boolean) => {
    const row = await tx.restore.update({ where: { id }, data: { status: state, timings: JSON.stringify(timings), ...(isRunning(state) ? { phase: state } : {}) } });
    // Announced once, as it ends. A dry run says `dryRun`: its failure may be a wrong passphrase, not the archive's.
    if (ending) {
      await enqueueEvent(tx, outcomeEvent('restore', state), {
        restoreId: row.id,
        node: row.targetHostname,
        dryRun: row.dryRun,
        status: row.status,
        error: row.error,
        warning: row.warning,
        backupId: row.backupId,
        upload: row.uploadName,
        safetyBackupId: row.safetyBackupId,
        startedAt: row.startedAt.toISOString(),
        finishedAt: row.finishedAt?.toISOString() ?? null,
        downtimeMs: row.downtimeMs,
      });
    }
  };
}

export async function recordRestoreReport(id: string, report: VerificationReport, tx: Db = db) {
  await tx.restore.update({ where: { id }, data: { report: JSON.stringify(report), sourceHostname: report.source.hostname } });
}

export async function recordRestoreIntent(id: string, intent: { stoppedContainers: ContainerRef[]; safetyBackupId: string | null }, tx: Db = db) {
  await tx.restore.update({ where: { id }, data: { stoppedContainers: JSON.stringify(intent.stoppedContainers), safetyBackupId: intent.safetyBackupId } });
}

/** How to put the volumes back, recorded as the write pass begins: until it ends, they are mixed. */
export async function recordUndo(id: string, undo: Undo, tx: Db) {
  await tx.restore.update({ where: { id }, data: { undo: JSON.stringify(undo), volumesState: 'writing' } });
}

/**
 * The volumes are the backup's (an earlier restore's note that the node needs attention is then
 * resolved: its containers start with this one's), or put back as they were.
 */
export async function recordVolumesSettled(id: string, state: 'restored' | 'put-back', tx: Db) {
  const before = await tx.restore.findUniqueOrThrow({ where: { id }, select: { error: true } });
  // A restore that ended already (interrupted, then put back by the process that took it over) says so.
  const error = state === 'put-back' && before.error ? `${before.error}; the volumes were put back as they were, from the safety copy` : before.error;
  const row = await tx.restore.update({ where: { id }, data: { volumesState: state, error } });
  if (state === 'restored') await tx.restore.updateMany({ where: { targetHostname: row.targetHostname, volumesState: 'left', id: { not: id } }, data: { attention: null } });
}

/** Neither: the containers stay stopped, and the node needs attention, as `attention` says. */
export async function recordVolumesLeft(id: string, attention: string, tx: Db) {
  await tx.restore.update({ where: { id }, data: { volumesState: 'left', attention } });
}

/** What putting a restore's volumes back needs: where they are, and how. */
export async function restoreUndo(id: string) {
  const row = await db.restore.findUniqueOrThrow({ where: { id } });
  return { ...toView(row), undo: row.undo ? (JSON.parse(row.undo) as Undo) : null };
}

/** Nodes that a restore left with UCP stopped: by hostname, the restore's note (the step that recovers it). */
export async function nodesNeedingAttention(): Promise<Map<string, { restoreId: string; attention: string; containers: ContainerRef[] }>> {
  const rows = await db.restore.findMany({ where: { volumesState: 'left', attention: { not: null } }, orderBy: { startedAt: 'asc' } });
  return new Map(rows.map((r) => [r.targetHostname, { restoreId: r.id, attention: r.attention!, containers: JSON.parse(r.stoppedContainers) as ContainerRef[] }]));
}

export async function recordRestoreContainersStarted(tx: Db, id: string, downtimeMs: number | null, warning: string | null = null) {
  await tx.restore.update({ where: { id }, data: { containersStartedAt: new Date(), downtimeMs, warning } });
}

export async function recordRestoreWarning(tx: Db, id: string, warning: string) {
  await tx.restore.update({ where: { id }, data: { warning } });
}

/** How a restore's stopped containers came back, for the one place that stops and starts them. */
export function restoreRestartRecorder(id: string): RestartRecorder {
  return { started: (tx, downtimeMs, note) => recordRestoreContainersStarted(tx, id, downtimeMs, note), warn: (tx, message) => recordRestoreWarning(tx, id, message) };
}

/** How the restore ended (its state is the job's); `error` null for a success. */
export async function recordRestoreEnd(id: string, error: string | null, tx: Db = db) {
  await tx.restore.update({ where: { id }, data: { error, finishedAt: new Date() } });
}

/** A verification that never opened its archive (a wrong passphrase or key) is not history: the audit log keeps the attempt. */
export async function forgetRestore(id: string, tx: Db) {
  await tx.restore.delete({ where: { id } });
}

/** What crash recovery needs of a restore: the containers it stopped and has not started again. */
export function restoreRecovery(id: string) {
  return {
    intent: async () => restartIntent(await getRestore(id)),
    interrupted: async (tx: Db, why: string) => {
      const row = await tx.restore.findUniqueOrThrow({ where: { id } });
      await recordRestoreEnd(id, `interrupted: ${why} during the "${row.phase}" step`, tx);
    },
    record: restoreRestartRecorder(id),
  };
}

export async function getRestore(id: string): Promise<RestoreView> {
  const row = await db.restore.findUnique({ where: { id } });
  if (!row) throw new LifeboatError('not_found', `no restore ${id}`);
  return toView(row);
}

export async function listRestores(take = 200): Promise<RestoreView[]> {
  return (await db.restore.findMany({ orderBy: { startedAt: 'desc' }, take })).map(toView);
}

/** How many restores and dry runs are reading the archive of `backupId` now. */
export async function restoresReading(backupId: string, tx: Db = db): Promise<number> {
  return tx.restore.count({ where: { backupId, status: { in: [...RUNNING_STATES] } } });
}

/** The uploaded files that the restores `ids` read. */
export async function uploadsOfRestores(ids: string[]): Promise<Set<string>> {
  const rows = await db.restore.findMany({ where: { id: { in: ids }, uploadId: { not: null } }, select: { uploadId: true } });
  return new Set(rows.map((r) => r.uploadId!));
}

/** How many restores and dry runs failed (or were interrupted), per target node. */
export async function restoreFailures(): Promise<Map<string, number>> {
  const groups = await db.restore.groupBy({ by: ['targetHostname'], where: { status: { in: ['failed', 'interrupted'] } }, _count: { _all: true } });
  return new Map(groups.map((g) => [g.targetHostname, g._count._all]));
}

/** Restores that ended in `warning` (containers not started again, a safety copy not kept): each still needs a hand. */
export async function restoresWithWarning(take = 10): Promise<RestoreView[]> {
  return (await db.restore.findMany({ where: { status: 'warning' }, orderBy: { startedAt: 'desc' }, take })).map(toView);
}
