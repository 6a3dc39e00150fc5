import 'server-only';
import { discardTemporaryFiles, temporaryFileIds } from '@/lib/archive/archive-store';
import { Engine } from '@/lib/docker/engine';
import { endpointConnection } from '@/lib/endpoints/endpoint-store';
import { backupsWithStoppedContainers, recordContainersStarted, recordFailure, recordWarning, runningBackups } from '@/lib/history/backup-history';
import { describeStartFailures, putNodeBack } from '@/lib/jobs/container-restart';
import { activeJobs } from '@/lib/jobs/job-registry';

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
  for (const id of await temporaryFileIds()) {
    if (!live.has(id)) await discardTemporaryFiles(id);
  }
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
