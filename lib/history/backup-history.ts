import 'server-only';
import type { ArchiveOutcome } from '@/lib/archive/archive-follower';
import type { PastOutage } from '@/lib/backup/outage-estimate';
import { db, type Db } from '@/lib/db';
import type { Backup, Prisma } from '@/lib/generated/prisma/client';
import { LifeboatError } from '@/lib/errors';
import { isRunning, statesOf, type JobState, type JobTimings, type RunningState } from '@/lib/jobs/job-states';
import type { HistoryFilter } from '@/lib/validations/history';
import type { ContainerRef, RestartRecorder } from '@/lib/jobs/stop-window';
import type { EncryptedTo } from '@/lib/keys/key-facts';
import { enqueueEvent, outcomeEvent } from '@/lib/webhooks/webhook-events';
import { adoptManifest } from './manifest-parts';
import { restartIntent } from './restart-intent';

/**
 * The one place that records backups. Rows are written before anything stops and follow the job's
 * state (lib/jobs mirrors it here, in the same transaction as its own row).
 */

export type { ContainerRef };

export type BackupStart = {
  kind: 'manual' | 'scheduled' | 'pre-restore';
  nodeId: string | null;
  nodeHostname: string;
  endpointId: string | null;
  volumes: string[];
  scope: 'ucp' | 'root-ca' | 'custom';
  note: string | null;
  requestedBy: string;
  fileName: string;
  ucpVersion: string | null;
  engineVersion: string | null;
  /** The intent: the containers the job will stop, recorded before it stops any. */
  stoppedContainers: ContainerRef[];
  encryptedTo: EncryptedTo;
  /** The policy run that made it, if any. */
  policy?: PolicyLabel;
};

/** A scheduled backup's policy, and the run it belongs to. */
export type PolicyLabel = { id: string; name: string; runId: string };

export type BackupView = ReturnType<typeof toView>;

function toView(row: Backup) {
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
    status: row.status as JobState,
    phase: row.phase as RunningState,
    error: row.error,
    warning: row.warning,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    downtimeMs: row.downtimeMs,
    timings: row.timings ? (JSON.parse(row.timings) as JobTimings) : {},
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
    encryptedTo: JSON.parse(row.encryptedTo) as EncryptedTo,
    policy: row.policyId ? { id: row.policyId, name: row.policyName ?? '', runId: row.policyRunId ?? '' } : null,
    pruned: row.prunedAt ? { at: row.prunedAt, by: row.prunedBy ?? '' } : null,
    verification: row.verifiedAt ? { at: row.verifiedAt, ok: row.verifyOk === true, message: row.verifyMessage } : null,
  };
}

export async function recordBackupStart(start: BackupStart, tx: Db = db): Promise<BackupView> {
  const row = await tx.backup.create({ data: { ...rowOf(start), status: 'checking', phase: 'checking' } });
  return toView(row);
}

function rowOf({ policy, ...start }: BackupStart) {
  return {
    ...start,
    volumes: JSON.stringify(start.volumes),
    stoppedContainers: JSON.stringify(start.stoppedContainers),
    encryptedTo: JSON.stringify(start.encryptedTo),
    policyId: policy?.id ?? null,
    policyName: policy?.name ?? null,
    policyRunId: policy?.runId ?? null,
  };
}

/**
 * A scheduled backup that never became a job: `skipped` (the quorum guard or a missing consent) or
 * `failed` (the node could not be backed up at all), with the reason. Announced like any other end. A
 * run that never reached a node (no controller answered; a missed run of "all controllers") has no
 * row, only its event (`node: null`) and its policy run.
 */
export async function recordUnstartedBackup(
  start: Pick<BackupStart, 'scope' | 'requestedBy' | 'encryptedTo' | 'note'> & { nodeHostname: string | null; fileName: string; policy: PolicyLabel },
  outcome: { status: 'skipped' | 'failed'; reason: string },
  tx?: Db,
) {
  const event = outcome.status === 'skipped' ? 'backup.skipped' : 'backup.failed';
  const write = async (tx: Db) => {
    const { nodeHostname } = start;
    if (nodeHostname === null) {
      await enqueueEvent(tx, event, { backupId: null, node: null, kind: 'scheduled', policy: start.policy.name, status: outcome.status, error: outcome.reason });
      return;
    }
    const row = await tx.backup.create({
      data: {
        ...rowOf({ ...start, nodeHostname, kind: 'scheduled', nodeId: null, endpointId: null, volumes: [], ucpVersion: null, engineVersion: null, stoppedContainers: [] }),
        status: outcome.status,
        error: outcome.reason,
        finishedAt: new Date(),
      },
    });
    await enqueueEvent(tx, event, backupEventData(toView(row)));
  };
  await (tx ? write(tx) : db.$transaction(write));
}

/** The containers the job will stop, as it found them once it held the node; recorded before it stops any. */
export async function recordStopIntent(id: string, stoppedContainers: ContainerRef[], tx: Db = db) {
  await tx.backup.update({ where: { id }, data: { stoppedContainers: JSON.stringify(stoppedContainers) } });
}

/** The job's state, as lib/jobs moves it; the phase keeps the last running state. */
export function backupMirror(id: string) {
  return async (tx: Db, state: JobState, timings: JobTimings, ending: boolean) => {
    const row = await tx.backup.update({
      where: { id },
      data: { status: state, timings: JSON.stringify(timings), ...(isRunning(state) ? { phase: state } : {}) },
    });
    // Announced once, as it ends (a `warning` that becomes `succeeded` later is not announced again).
    if (ending) await enqueueEvent(tx, outcomeEvent('backup', state), backupEventData(toView(row)));
  };
}

/** What a webhook says of a backup. */
function backupEventData(backup: BackupView) {
  return {
    backupId: backup.id,
    node: backup.nodeHostname,
    kind: backup.kind,
    policy: backup.policy?.name ?? null,
    status: backup.status,
    error: backup.error,
    warning: backup.warning,
    startedAt: backup.startedAt.toISOString(),
    finishedAt: backup.finishedAt?.toISOString() ?? null,
    downtimeMs: backup.downtimeMs,
    encryptedBytes: backup.encryptedBytes,
    sha256: backup.sha256,
    fileName: backup.fileName,
  };
}

/** The node is back as it was. A warning about its containers, if any, gives way to `note`. */
export async function recordContainersStarted(tx: Db, id: string, downtimeMs: number | null, note: string | null = null) {
  await tx.backup.update({ where: { id }, data: { containersStartedAt: new Date(), downtimeMs, warning: note } });
}

export async function recordWarning(tx: Db, id: string, warning: string) {
  await tx.backup.update({ where: { id }, data: { warning } });
}

/** How a backup's stopped containers came back, for the one place that stops and starts them. */
export function backupRestartRecorder(id: string): RestartRecorder {
  return { started: (tx, downtimeMs, note) => recordContainersStarted(tx, id, downtimeMs, note), warn: (tx, message) => recordWarning(tx, id, message) };
}

/** What a written archive was: its manifest is already recorded, in parts (manifest-parts.ts). */
type StoredArchive = { plainBytes: number; encryptedBytes: number; sha256: string };

export async function recordSuccess(id: string, result: StoredArchive, tx: Db = db) {
  await tx.backup.update({
    where: { id },
    data: {
      finishedAt: new Date(),
      storedAt: new Date(),
      plainBytes: BigInt(result.plainBytes),
      encryptedBytes: BigInt(result.encryptedBytes),
      sha256: result.sha256,
    },
  });
}

/**
 * A restore's safety copy, kept as a backup once its archive is stored: a row of its own, made by the
 * restore's job (it never runs as a job itself), linked from the restore.
 */
export async function recordSafetyBackup(restoreId: string, start: BackupStart & { id: string; startedAt: Date }, result: StoredArchive, tx: Db) {
  await tx.backup.create({ data: { ...rowOf(start), status: 'succeeded', phase: 'encrypting', containersStartedAt: new Date() } });
  await adoptManifest(restoreId, start.id, tx);
  await recordSuccess(start.id, result, tx);
  await tx.restore.update({ where: { id: restoreId }, data: { safetyBackupId: start.id } });
}

export async function recordFailure(id: string, error: string, tx: Db = db) {
  await tx.backup.update({ where: { id }, data: { error, finishedAt: new Date() } });
}

/** What crash recovery needs of a backup: the containers it stopped and has not started again. */
export function backupRecovery(id: string) {
  return {
    intent: async () => restartIntent(await getBackup(id)),
    interrupted: async (tx: Db, why: string) => {
      const { phase } = await tx.backup.findUniqueOrThrow({ where: { id }, select: { phase: true } });
      await recordFailure(id, `interrupted: ${why} during the "${phase}" step`, tx);
    },
    record: backupRestartRecorder(id),
  };
}

export async function recordVerification(id: string, ok: boolean, message: string, tx: Db = db) {
  const row = await tx.backup.update({ where: { id }, data: { verifiedAt: new Date(), verifyOk: ok, verifyMessage: message }, select: { nodeHostname: true } });
  await enqueueEvent(tx, ok ? 'verification.succeeded' : 'verification.failed', { backupId: id, node: row.nodeHostname, ok, message });
}

/** The archive is gone (or going: its file is removed next); `prunedBy` names the policy whose retention removed it. */
export async function markArchiveDeleted(id: string, prunedBy?: string, tx: Db = db) {
  const now = new Date();
  await tx.backup.update({ where: { id }, data: { fileDeletedAt: now, ...(prunedBy ? { prunedAt: now, prunedBy } : {}) } });
}

export async function getBackup(id: string): Promise<BackupView> {
  const row = await db.backup.findUnique({ where: { id } });
  if (!row) throw new LifeboatError('not_found', `no backup ${id}`);
  return toView(row);
}

export async function listBackups(filter: HistoryFilter = {}): Promise<BackupView[]> {
  const until = filter.to && new Date(filter.to.getTime() + 86_400_000);
  const rows = await db.backup.findMany({
    where: {
      AND: [
        filter.node ? { OR: [{ nodeHostname: filter.node }, { nodeId: filter.node }] } : {},
        filter.status ? { status: { in: statesOf(filter.status) } } : {},
        filter.restorable ? { status: { in: ['succeeded', 'warning'] }, storedAt: { not: null }, fileDeletedAt: null } : {},
        filter.kind ? { kind: filter.kind } : {},
        filter.from || until ? { startedAt: { ...(filter.from ? { gte: filter.from } : {}), ...(until ? { lt: until } : {}) } } : {},
        filter.q
          ? {
              OR: [
                { fileName: { contains: filter.q } },
                { note: { contains: filter.q } },
                { nodeHostname: { contains: filter.q } },
                { policyName: { contains: filter.q } },
                // The volume names, as the row keeps them (a JSON list).
                { volumes: { contains: filter.q } },
              ],
            }
          : {},
      ],
    },
    orderBy: SORTS[filter.sort ?? 'newest'],
    take: filter.take ?? 200,
  });
  return rows.map(toView);
}

const SORTS: Record<NonNullable<HistoryFilter['sort']>, Prisma.BackupOrderByWithRelationInput[]> = {
  newest: [{ startedAt: 'desc' }],
  oldest: [{ startedAt: 'asc' }],
  largest: [{ encryptedBytes: { sort: 'desc', nulls: 'last' } }, { startedAt: 'desc' }],
  'longest-down': [{ downtimeMs: { sort: 'desc', nulls: 'last' } }, { startedAt: 'desc' }],
};

/** Where a backup's archive stands, for downloads that follow it while it is written. */
export async function archiveOutcome(id: string): Promise<ArchiveOutcome> {
  const row = await db.backup.findUnique({ where: { id }, select: { status: true, storedAt: true, fileDeletedAt: true, encryptedBytes: true, error: true } });
  if (!row) return { state: 'failed', reason: 'the backup is gone from the history' };
  if (row.storedAt && !row.fileDeletedAt) return { state: 'stored', bytes: Number(row.encryptedBytes) };
  if (row.status === 'stopping' || row.status === 'copying' || row.status === 'starting') return { state: 'writing', held: true };
  if (isRunning(row.status)) return { state: 'writing' };
  return { state: 'failed', reason: row.error ?? row.status };
}

/** Of `ids`, the backups whose history records their archive as stored (any other archive file is an orphan). */
export async function recordedArchives(ids: string[]): Promise<Set<string>> {
  const rows = await db.backup.findMany({ where: { id: { in: ids }, storedAt: { not: null }, fileDeletedAt: null }, select: { id: true } });
  return new Set(rows.map((r) => r.id));
}

/**
 * A good backup: it succeeded (with a warning about its containers, maybe), its archive is in the store, no verification found it broken, and it is
 * a backup of the node as it runs (not a restore's safety copy of what it replaced).
 */
const goodBackup: Prisma.BackupWhereInput = {
  status: { in: ['succeeded', 'warning'] },
  storedAt: { not: null },
  fileDeletedAt: null,
  kind: { not: 'pre-restore' },
  OR: [{ verifyOk: null }, { verifyOk: true }],
};

/** Each node's newest good backup, by hostname. */
export async function lastGoodBackups(tx: Db = db): Promise<Map<string, BackupView>> {
  const rows = await tx.backup.findMany({ where: goodBackup, orderBy: { startedAt: 'desc' }, distinct: ['nodeHostname'] });
  return new Map(rows.map((row) => [row.nodeHostname, toView(row)]));
}

/** How many backups failed (or were interrupted), per node. */
export async function backupFailures(): Promise<Map<string, number>> {
  const groups = await db.backup.groupBy({ by: ['nodeHostname'], where: { status: { in: ['failed', 'interrupted'] } }, _count: { _all: true } });
  return new Map(groups.map((g) => [g.nodeHostname, g._count._all]));
}

/** In a job's starting transaction (under the write lock): the archive it is to read is still stored. */
export async function requireStoredArchive(id: string, tx: Db) {
  const row = await tx.backup.findUnique({ where: { id }, select: { storedAt: true, fileDeletedAt: true } });
  if (!row?.storedAt || row.fileDeletedAt) throw new LifeboatError('not_found', `the archive of backup ${id} is no longer stored (deleted or pruned meanwhile)`);
}

/** Each node's newest good backup that a verification proved: retention never prunes it. */
export async function newestVerifiedBackupIds(): Promise<Set<string>> {
  const rows = await db.backup.findMany({ where: { AND: [goodBackup, { verifyOk: true }] }, orderBy: { startedAt: 'desc' }, distinct: ['nodeHostname'], select: { id: true } });
  return new Set(rows.map((r) => r.id));
}

/** A policy's backups whose archive is stored: what its retention weighs. */
export async function policyArchives(policyId: string) {
  const rows = await db.backup.findMany({
    where: { policyId, status: { in: ['succeeded', 'warning'] }, storedAt: { not: null }, fileDeletedAt: null },
    select: { id: true, nodeHostname: true, startedAt: true, verifyOk: true },
  });
  return rows.map((r) => ({ id: r.id, node: r.nodeHostname, startedAt: r.startedAt, verified: r.verifyOk }));
}

/** Every node the history has a backup of, by name: what the history page filters by. */
export async function backedUpNodes(): Promise<string[]> {
  const rows = await db.backup.findMany({ distinct: ['nodeHostname'], select: { nodeHostname: true }, orderBy: { nodeHostname: 'asc' } });
  return rows.map((r) => r.nodeHostname);
}

/** The node's newest finished backup that stopped containers and started them again: how long they were down, for how much. */
export async function lastOutage(hostname: string): Promise<PastOutage | null> {
  const row = await db.backup.findFirst({
    where: { nodeHostname: hostname, kind: { not: 'pre-restore' }, status: { in: ['succeeded', 'warning'] }, downtimeMs: { gt: 0 }, plainBytes: { not: null } },
    orderBy: { startedAt: 'desc' },
    select: { downtimeMs: true, plainBytes: true, startedAt: true },
  });
  return row ? { downtimeMs: row.downtimeMs!, plainBytes: Number(row.plainBytes), startedAt: row.startedAt } : null;
}

/** What the pages call these backups instead of their ids: each one's archive name and node. */
export async function backupLabels(ids: (string | null)[]): Promise<Map<string, { fileName: string; node: string; safety: boolean }>> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (wanted.length === 0) return new Map();
  const rows = await db.backup.findMany({ where: { id: { in: wanted } }, select: { id: true, fileName: true, nodeHostname: true, kind: true } });
  return new Map(rows.map((r) => [r.id, { fileName: r.fileName, node: r.nodeHostname, safety: r.kind === 'pre-restore' }]));
}

/** A node's last finished backups, oldest first: what its charts draw (archive size, time taken, downtime). */
export async function nodeTrend(hostname: string, take = 30) {
  const rows = await db.backup.findMany({
    where: { nodeHostname: hostname, kind: { not: 'pre-restore' }, status: { in: ['succeeded', 'warning'] }, finishedAt: { not: null } },
    orderBy: { startedAt: 'desc' },
    take,
    select: { fileName: true, startedAt: true, finishedAt: true, encryptedBytes: true, downtimeMs: true },
  });
  return rows.reverse().map((r) => ({
    at: r.startedAt,
    label: r.fileName,
    bytes: r.encryptedBytes === null ? null : Number(r.encryptedBytes),
    tookMs: r.finishedAt!.getTime() - r.startedAt.getTime(),
    downtimeMs: r.downtimeMs,
  }));
}

/** Backups per UTC day over the last `days` days, by outcome: succeeded, needed a hand (warning, skipped), failed (or interrupted). */
export async function outcomesByDay(days = 30, now = new Date()) {
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - days + 1));
  const rows = await db.backup.findMany({ where: { startedAt: { gte: first }, kind: { not: 'pre-restore' } }, select: { startedAt: true, status: true } });
  const byDay = new Map<string, { day: string; good: number; warn: number; bad: number }>();
  for (let i = 0; i < days; i++) {
    const day = new Date(first.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    byDay.set(day, { day, good: 0, warn: 0, bad: 0 });
  }
  for (const row of rows) {
    const tally = byDay.get(row.startedAt.toISOString().slice(0, 10));
    if (!tally) continue;
    if (row.status === 'succeeded') tally.good += 1;
    else if (row.status === 'warning' || row.status === 'skipped') tally.warn += 1;
    else if (row.status === 'failed' || row.status === 'interrupted') tally.bad += 1;
  }
  return [...byDay.values()];
}
