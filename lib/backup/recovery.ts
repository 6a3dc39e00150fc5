import 'server-only';
import { discardTemporaryFiles, removeUpload, staleUploads, temporaryFileIds } from '@/lib/archive/archive-store';
import { Engine } from '@/lib/docker/engine';
import { endpointConnection } from '@/lib/endpoints/endpoint-store';
import { backupsWithStoppedContainers, recordContainersStarted, recordFailure, recordWarning, runningBackups } from '@/lib/history/backup-history';
import { describeStartFailures, putNodeBack } from '@/lib/jobs/container-restart';
import { activeJobs } from '@/lib/jobs/job-registry';
import { recordRestoreContainersStarted, recordRestoreEnd, recordRestoreWarning, restoresWithStoppedContainers, runningRestores } from '@/lib/history/restore-history';

const UPLOAD_MAX_AGE_MS = 24 * 3600_000;

/**
 * Run when the server starts: whatever a crash left half-done is resolved. Rows still "running" become
 * "interrupted"; the containers their intent names are started again; temporary files are removed.
 */
export async function recoverInterruptedJobs() {
  const live = new Set(activeJobs().map((j) => j.id));
  for (const row of await runningBackups()) {
    if (live.has(row.id)) continue;
    await recordFailure(row.id, `interrupted: the server stopped during the "${row.phase}" step`, 'interrupted');
  }
  for (const row of await runningRestores()) {
    if (live.has(row.id)) continue;
    const undo = row.safetyBackupId && row.stoppedContainers.length ? `; the volumes may be partly restored: restore the safety backup ${row.safetyBackupId} to undo` : '';
    await recordRestoreEnd(row.id, 'interrupted', `interrupted: the server stopped during the "${row.phase}" step${undo}`);
  }
  for (const id of await temporaryFileIds()) {
    if (!live.has(id)) await discardTemporaryFiles(id);
  }
  for (const id of await staleUploads(UPLOAD_MAX_AGE_MS)) await removeUpload(id);
  await Promise.all(
    (await restoresWithStoppedContainers())
      .filter((row) => !live.has(row.id))
      .map(async (row) => {
        const left = await putNodeBack(() => engineOf(row.endpointId!), row.id, row.stoppedContainers);
        if (left.length === 0) await recordRestoreContainersStarted(row.id, row.downtimeMs, 'the containers started again when the server restarted');
        else await recordRestoreWarning(row.id, `not started again after the interruption: ${describeStartFailures(left)}. Start them by hand.`);
      }),
  );
  await Promise.all(
    (await backupsWithStoppedContainers())
      .filter((row) => !live.has(row.id) && row.stoppedContainers.length > 0)
      .map(async (row) => {
        const connect = () => engineOf(row.endpointId!);
        const left = await putNodeBack(connect, row.id, row.stoppedContainers);
        if (left.length === 0) await recordContainersStarted(row.id, row.downtimeMs, 'the containers started again when the server restarted');
        else await recordWarning(row.id, `not started again after the interruption: ${describeStartFailures(left)}. Start them by hand.`);
      }),
  );
}

async function engineOf(endpointId: string) {
  return Engine.connect(await endpointConnection(endpointId));
}
