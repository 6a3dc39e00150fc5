import 'server-only';
import type { RestartRecorder } from '@/lib/jobs/container-restart';
import { db } from '@/lib/db';
import type { Restore } from '@/lib/generated/prisma/client';
import { LifeboatError } from '@/lib/errors';
import type { ContainerRef } from './backup-history';
import type { VerificationReport } from '@/lib/restore/report';

/** The one place that records restores and dry runs. */

export type RestoreStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';
export type RestorePhase = 'verifying' | 'safety-backup' | 'stopping' | 'writing' | 'starting' | 'done';

export type RestoreStart = {
  sourceKind: 'backup' | 'upload';
  backupId: string | null;
  uploadName: string | null;
  targetHostname: string;
  targetNodeId: string | null;
  endpointId: string | null;
  dryRun: boolean;
  forced: boolean;
  requestedBy: string;
};

export type RestoreView = ReturnType<typeof toView>;

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
    status: row.status as RestoreStatus,
    phase: row.phase as RestorePhase,
    error: row.error,
    warning: row.warning,
    report: row.report ? (JSON.parse(row.report) as VerificationReport) : null,
    safetyBackupId: row.safetyBackupId,
    stoppedContainers: JSON.parse(row.stoppedContainers) as ContainerRef[],
    containersStartedAt: row.containersStartedAt,
    downtimeMs: row.downtimeMs,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

export async function recordRestoreStart(start: RestoreStart): Promise<RestoreView> {
  return toView(await db.restore.create({ data: start }));
}

export async function recordRestorePhase(id: string, phase: RestorePhase) {
  await db.restore.update({ where: { id }, data: { phase } });
}

export async function recordRestoreReport(id: string, report: VerificationReport) {
  await db.restore.update({ where: { id }, data: { report: JSON.stringify(report), sourceHostname: report.source.hostname } });
}

export async function recordRestoreIntent(id: string, intent: { stoppedContainers: ContainerRef[]; safetyBackupId: string | null }) {
  await db.restore.update({ where: { id }, data: { stoppedContainers: JSON.stringify(intent.stoppedContainers), safetyBackupId: intent.safetyBackupId } });
}

export async function recordRestoreContainersStarted(id: string, downtimeMs: number | null, warning: string | null = null) {
  await db.restore.update({ where: { id }, data: { containersStartedAt: new Date(), downtimeMs, warning } });
}

export async function recordRestoreWarning(id: string, warning: string) {
  await db.restore.update({ where: { id }, data: { warning } });
}

/** How a restore's stopped containers came back, for the one place that stops and starts them. */
export function restoreRestartRecorder(id: string): RestartRecorder {
  return { started: (downtimeMs, note) => recordRestoreContainersStarted(id, downtimeMs, note), warn: (message) => recordRestoreWarning(id, message) };
}

export async function recordRestoreEnd(id: string, status: Exclude<RestoreStatus, 'running'>, error: string | null = null) {
  await db.restore.update({ where: { id }, data: { status, error, finishedAt: new Date(), ...(status === 'succeeded' ? { phase: 'done' } : {}) } });
}

export async function getRestore(id: string): Promise<RestoreView> {
  const row = await db.restore.findUnique({ where: { id } });
  if (!row) throw new LifeboatError('not_found', `no restore ${id}`);
  return toView(row);
}

export async function listRestores(take = 200): Promise<RestoreView[]> {
  return (await db.restore.findMany({ orderBy: { startedAt: 'desc' }, take })).map(toView);
}

export async function runningRestores(): Promise<RestoreView[]> {
  return (await db.restore.findMany({ where: { status: 'running' } })).map(toView);
}

export async function restoresWithStoppedContainers(): Promise<RestoreView[]> {
  return (await db.restore.findMany({ where: { containersStartedAt: null, NOT: { stoppedContainers: '[]' } } })).map(toView);
}
