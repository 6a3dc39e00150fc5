import 'server-only';
import type { RestartRecorder } from '@/lib/jobs/container-restart';
import type { Manifest } from '@/lib/archive/manifest';
import { db } from '@/lib/db';
import type { Backup } from '@/lib/generated/prisma/client';
import { LifeboatError } from '@/lib/errors';

/** The one place that records backups. Rows are written before anything stops and updated as the job goes. */

export type BackupStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';
export type BackupPhase = 'preparing' | 'stopping' | 'reading' | 'encrypting' | 'done';
export type ContainerRef = { id: string; name: string };

export type BackupStart = {
  kind: 'manual' | 'scheduled' | 'pre-restore';
  nodeId: string | null;
  nodeHostname: string;
  endpointId: string;
  volumes: string[];
  scope: 'ucp' | 'root-ca' | 'custom';
  note: string | null;
  requestedBy: string;
  fileName: string;
  ucpVersion: string | null;
  engineVersion: string | null;
  /** The intent: the containers the job will stop, recorded before it stops any. */
  stoppedContainers: ContainerRef[];
};

export type BackupView = ReturnType<typeof toView>;

// The manifest lists every file: read only where it is shown (getManifest), never with the rows.
const withoutManifest = { omit: { manifest: true } } as const;

function toView(row: Omit<Backup, 'manifest'>) {
  return {
    id: row.id,
    kind: row.kind,
    nodeId: row.nodeId,
    nodeHostname: row.nodeHostname,
    endpointId: row.endpointId,
    volumes: JSON.parse(row.volumes) as string[],
    scope: row.scope,
    note: row.note,
    requestedBy: row.requestedBy,
    status: row.status as BackupStatus,
    phase: row.phase as BackupPhase,
    error: row.error,
    warning: row.warning,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    downtimeMs: row.downtimeMs,
    plainBytes: row.plainBytes === null ? null : Number(row.plainBytes),
    encryptedBytes: row.encryptedBytes === null ? null : Number(row.encryptedBytes),
    sha256: row.sha256,
    fileName: row.fileName,
    stored: row.storedAt !== null && row.fileDeletedAt === null,
    fileDeletedAt: row.fileDeletedAt,
    ucpVersion: row.ucpVersion,
    engineVersion: row.engineVersion,
    stoppedContainers: JSON.parse(row.stoppedContainers) as ContainerRef[],
    containersStartedAt: row.containersStartedAt,
    verification: row.verifiedAt ? { at: row.verifiedAt, ok: row.verifyOk === true, message: row.verifyMessage } : null,
  };
}

export async function recordBackupStart(start: BackupStart): Promise<BackupView> {
  const row = await db.backup.create({
    data: { ...start, volumes: JSON.stringify(start.volumes), stoppedContainers: JSON.stringify(start.stoppedContainers) },
  });
  return toView(row);
}

export async function recordPhase(id: string, phase: BackupPhase) {
  await db.backup.update({ where: { id }, data: { phase } });
}

/** The node is back as it was. A warning about its containers, if any, gives way to `note`. */
export async function recordContainersStarted(id: string, downtimeMs: number | null, note: string | null = null) {
  await db.backup.update({ where: { id }, data: { containersStartedAt: new Date(), downtimeMs, warning: note } });
}

export async function recordWarning(id: string, warning: string) {
  await db.backup.update({ where: { id }, data: { warning } });
}

/** How a backup's stopped containers came back, for the one place that stops and starts them. */
export function backupRestartRecorder(id: string): RestartRecorder {
  return { started: (downtimeMs, note) => recordContainersStarted(id, downtimeMs, note), warn: (message) => recordWarning(id, message) };
}

export async function recordSuccess(id: string, result: { plainBytes: number; encryptedBytes: number; sha256: string; manifest: Manifest }) {
  await db.backup.update({
    where: { id },
    data: {
      status: 'succeeded',
      phase: 'done',
      finishedAt: new Date(),
      storedAt: new Date(),
      plainBytes: BigInt(result.plainBytes),
      encryptedBytes: BigInt(result.encryptedBytes),
      sha256: result.sha256,
      manifest: JSON.stringify(result.manifest),
    },
  });
}

export async function recordFailure(id: string, error: string, status: 'failed' | 'interrupted' = 'failed') {
  await db.backup.update({ where: { id }, data: { status, error, finishedAt: new Date() } });
}

export async function recordVerification(id: string, ok: boolean, message: string) {
  await db.backup.update({ where: { id }, data: { verifiedAt: new Date(), verifyOk: ok, verifyMessage: message } });
}

export async function markArchiveDeleted(id: string) {
  await db.backup.update({ where: { id }, data: { fileDeletedAt: new Date() } });
}

export async function getBackup(id: string): Promise<BackupView> {
  const row = await db.backup.findUnique({ where: { id }, ...withoutManifest });
  if (!row) throw new LifeboatError('not_found', `no backup ${id}`);
  return toView(row);
}

export async function getManifest(id: string): Promise<Manifest | null> {
  const row = await db.backup.findUnique({ where: { id }, select: { manifest: true } });
  return row?.manifest ? (JSON.parse(row.manifest) as Manifest) : null;
}

export async function listBackups(filter: { node?: string; status?: BackupStatus; take?: number } = {}): Promise<BackupView[]> {
  const rows = await db.backup.findMany({
    ...withoutManifest,
    where: {
      ...(filter.node ? { OR: [{ nodeHostname: filter.node }, { nodeId: filter.node }] } : {}),
      ...(filter.status ? { status: filter.status } : {}),
    },
    orderBy: { startedAt: 'desc' },
    take: filter.take ?? 200,
  });
  return rows.map(toView);
}

/** Rows whose containers were stopped and not yet started again: what a crash or a dead engine left. */
export async function backupsWithStoppedContainers(): Promise<BackupView[]> {
  const rows = await db.backup.findMany({ where: { containersStartedAt: null, NOT: { stoppedContainers: '[]' } }, ...withoutManifest });
  return rows.map(toView);
}

export async function runningBackups(): Promise<BackupView[]> {
  return (await db.backup.findMany({ where: { status: 'running' }, ...withoutManifest })).map(toView);
}
