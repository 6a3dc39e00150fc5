import 'server-only';
import { discardTemporaryFiles, removeUpload, staleUploads, temporaryFileIds } from '@/lib/archive/archive-store';
import { Engine } from '@/lib/docker/engine';
import { endpointConnection } from '@/lib/endpoints/endpoint-store';
import { backupRestartRecorder, backupsWithStoppedContainers, recordFailure, runningBackups } from '@/lib/history/backup-history';
import { recordRestoreEnd, restoresWithStoppedContainers, restoreRestartRecorder, runningRestores } from '@/lib/history/restore-history';
import { describeStartFailures, putNodeBack, type RestartRecorder } from '@/lib/jobs/container-restart';
import { activeJobs, exclusively } from '@/lib/jobs/job-registry';
import type { ContainerRef } from '@/lib/history/backup-history';

const UPLOAD_MAX_AGE_MS = 24 * 3600_000;

type Leftover = { id: string; endpointId: string | null; stoppedContainers: ContainerRef[]; downtimeMs: number | null; startedAt: Date };

/**
 * Run when the server starts: whatever a crash left half-done is resolved. Rows still "running" become
 * "interrupted"; the containers their intent names are started again; temporary files are removed.
 * Only what happened before `serverStartedAt` is touched: jobs of this process are left alone.
 */
export async function recoverInterruptedJobs(serverStartedAt: Date) {
  const before = (row: { startedAt: Date; id: string }) => row.startedAt < serverStartedAt && !activeJobs().some((j) => j.id === row.id);
  // While the records are fixed, no job may start: jobs start inside the same exclusive section.
  await exclusively(async () => {
    for (const row of (await runningBackups()).filter(before)) {
      await recordFailure(row.id, `interrupted: the server stopped during the "${row.phase}" step`, 'interrupted');
    }
    for (const row of (await runningRestores()).filter(before)) {
      const undo = row.safetyBackupId && row.stoppedContainers.length ? `; the volumes may be partly restored: restore the safety backup ${row.safetyBackupId} to undo` : '';
      await recordRestoreEnd(row.id, 'interrupted', `interrupted: the server stopped during the "${row.phase}" step${undo}`);
    }
    const live = new Set(activeJobs().map((j) => j.id));
    for (const id of await temporaryFileIds()) if (!live.has(id)) await discardTemporaryFiles(id);
    for (const id of await staleUploads(UPLOAD_MAX_AGE_MS)) await removeUpload(id);
  });

  // Then, patiently (an engine may still be down): the containers each leftover stopped.
  const restores = (await restoresWithStoppedContainers()).filter(before);
  const backups = (await backupsWithStoppedContainers()).filter(before);
  await Promise.all([
    ...restores.map((row) => putBack(row, restoreRestartRecorder(row.id))),
    ...backups.map((row) => putBack(row, backupRestartRecorder(row.id))),
  ]);
}

async function putBack(row: Leftover, record: RestartRecorder) {
  if (!row.endpointId || row.stoppedContainers.length === 0) return;
  const endpointId = row.endpointId;
  const left = await putNodeBack(async () => Engine.connect(await endpointConnection(endpointId)), row.id, row.stoppedContainers);
  await (left.length === 0
    ? record.started(row.downtimeMs, 'the containers started again when the server restarted')
    : record.warn(`not started again after the interruption: ${describeStartFailures(left)}. Start them by hand.`));
}
