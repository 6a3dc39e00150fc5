import 'server-only';
import { removeSpool } from '@/lib/archive/archive-store';
import { SpoolChanged } from '@/lib/crypto/spool-cipher';
import { messageOf } from '@/lib/errors';
import { recordVolumesLeft, recordVolumesSettled, restoreUndo } from '@/lib/history/restore-history';
import type { RunningJob } from '@/lib/jobs/running-job';
import type { MakeSafe } from '@/lib/jobs/stop-window';
import { checkSafetyCopy, putBackSafetyCopy } from './safety-copy';

/** Whether the restore's volumes may be half written: its write pass began and neither ended nor was undone. */
export async function volumesUnsettled(restoreId: string) {
  return (await restoreUndo(restoreId)).volumesState === 'writing';
}

/**
 * What must happen before a restore's containers start again, in its own process or in the one that took
 * it over: volumes left in the middle of the write are put back from the safety copy. Without one (it was
 * skipped, or it was changed on disk) the containers stay stopped, and the node is marked as needing
 * attention with the step that recovers it. An engine that fails meanwhile fails the try: it is retried.
 */
export function settleVolumes(job: RunningJob): MakeSafe {
  return async (engine) => {
    const restore = await restoreUndo(job.id);
    if (restore.volumesState !== 'writing' || !restore.undo) return true;
    const { undo } = restore;
    let why = 'its safety copy was skipped';
    if (undo.copies) {
      const copies = undo.copies;
      // Authenticated whole before anything is emptied: a copy that cannot be put back leaves the volumes alone.
      const unreadable = await checkSafetyCopy(job.id, copies).then(
        () => null,
        (error) => (error instanceof SpoolChanged || (error as NodeJS.ErrnoException).code === 'ENOENT' ? error : Promise.reject(error)),
      );
      if (!unreadable) {
        await putBackSafetyCopy(engine, job.id, { ...undo, copies }, job.takenSignal);
        await job.record((tx) => recordVolumesSettled(job.id, 'put-back', tx));
        await removeSpool(job.id).catch(() => {});
        return true;
      }
      why = `its safety copy cannot be read (${messageOf(unreadable)})`;
    }
    const stopped = restore.stoppedContainers.map((c) => c.name);
    const source = restore.backupId ? `backup ${restore.backupId}` : `the uploaded ${restore.uploadName ?? 'archive'}`;
    const attention =
      `restore ${job.id} stopped while writing the volumes of ${restore.targetHostname}, and ${why}: the volumes are partly written, ` +
      `so ${stopped.length ? stopped.join(', ') : 'nothing that uses them'} ${stopped.length === 1 ? 'is' : 'are'} left stopped. ` +
      `To recover, restore onto ${restore.targetHostname} again (${source}, or another backup of these volumes): Lifeboat starts ${stopped.length === 1 ? 'it' : 'them'} once the volumes are written.`;
    await job.record((tx) => recordVolumesLeft(job.id, attention, tx));
    return false;
  };
}
