import 'server-only';
import { sweepOrphans } from '@/lib/archive/archive-sweep';
import { discardTemporaryFiles } from '@/lib/archive/archive-store';
import { db } from '@/lib/db';
import { Engine } from '@/lib/docker/engine';
import { endpointConnection } from '@/lib/endpoints/endpoint-store';
import { messageOf } from '@/lib/errors';
import { backupMirror, backupRecovery } from '@/lib/history/backup-history';
import { restoreMirror, restoreRecovery } from '@/lib/history/restore-history';
import { settleVolumes, volumesUnsettled } from '@/lib/restore/settle-volumes';
import { jobTiming, pidAlive, processOwner } from './job-owner';
import { isRunning, type JobKind } from './job-states';
import { RunningJob } from './running-job';
import { describeStartFailures, putNodeBack } from './stop-window';

const SWEEP_EVERY_MS = 3600_000;

type Supervisor = { timers: NodeJS.Timeout[]; recovering: Promise<void> | null };
const supervisor = ((globalThis as { lifeboatSupervisor?: Supervisor }).lifeboatSupervisor ??= { timers: [], recovering: null });

/**
 * In every server process: jobs whose owner died (its process is gone, or it fell silent) are taken
 * over and resolved, within a few seconds of being found; orphaned files are swept every hour.
 */
export function startJobSupervisor() {
  if (supervisor.timers.length) return;
  const recover = () => {
    supervisor.recovering ??= recoverDeadJobs()
      .catch((error) => console.error(`lifeboat: recovering jobs failed: ${messageOf(error)}`))
      .finally(() => (supervisor.recovering = null));
  };
  const sweep = () => void sweepOrphans().catch((error) => console.error(`lifeboat: sweeping orphaned files failed: ${messageOf(error)}`));
  recover();
  sweep();
  supervisor.timers.push(setInterval(recover, jobTiming().heartbeatMs), setInterval(sweep, SWEEP_EVERY_MS));
  for (const timer of supervisor.timers) timer.unref();
}

export function stopJobSupervisor() {
  for (const timer of supervisor.timers) clearInterval(timer);
  supervisor.timers = [];
}

/** Takes over every job whose owner is gone or silent, one transaction each (only one process wins it). */
export async function recoverDeadJobs() {
  if (processOwner.draining) return;
  const silentSince = new Date(Date.now() - jobTiming().deadAfterMs);
  const candidates = await db.job.findMany({ where: { releasedAt: null } });
  for (const row of candidates) {
    if (processOwner.draining) return;
    // This process's own jobs live while it runs them; one it lost track of (and that fell silent) is as dead as any.
    const mine = row.ownerId === processOwner.id;
    if (mine ? processOwner.jobs.has(row.id) || row.heartbeatAt > silentSince : pidAlive(row.ownerPid) && row.heartbeatAt > silentSince) continue;
    // A live owner only if it is still silent: one that has beaten since it was read is alive after all.
    const { count } = await db.job.updateMany({
      where: { id: row.id, ownerId: row.ownerId, fence: row.fence, ...(pidAlive(row.ownerPid) ? { heartbeatAt: { lte: silentSince } } : {}) },
      data: { ownerId: processOwner.id, ownerPid: processOwner.pid, fence: row.fence + 1, heartbeatAt: new Date() },
    });
    if (count === 0) continue;
    const why = mine
      ? isRunning(row.state)
        ? 'this server lost track of it'
        : 'its earlier tries had failed'
      : pidAlive(row.ownerPid)
        ? `its server process (pid ${row.ownerPid}) stopped answering`
        : 'the server stopped';
    void recoverJob({ id: row.id, kind: row.kind as JobKind, state: row.state, fence: row.fence + 1 }, why).catch((error) =>
      console.error(`lifeboat: recovering job ${row.id} failed: ${messageOf(error)}`),
    );
  }
}

/**
 * Resolves a job this process just took over: a running one is recorded as interrupted; the containers
 * its intent names are started again (retrying while the engine is down, holding the node meanwhile);
 * its temporary files and helper containers are removed; then its leases end.
 */
async function recoverJob(taken: { id: string; kind: JobKind; state: string; fence: number }, why: string) {
  const subject = taken.kind === 'backup' ? backupRecovery(taken.id) : taken.kind === 'restore' ? restoreRecovery(taken.id) : null;
  const mirror = taken.kind === 'backup' ? backupMirror(taken.id) : taken.kind === 'restore' ? restoreMirror(taken.id) : null;
  const job = new RunningJob(taken.id, taken.kind, taken.fence, taken.state as never, mirror);
  try {
    const intent = subject ? await subject.intent() : null;
    if (isRunning(taken.state)) await job.move('interrupted', (tx) => subject?.interrupted(tx, why) ?? Promise.resolve());
    // A restore that was writing its volumes puts them back (or leaves the node stopped) before anything starts.
    const makeSafe = taken.kind === 'restore' && (await volumesUnsettled(taken.id)) ? settleVolumes(job) : undefined;
    if (intent?.endpointId && (intent.containers.length || makeSafe)) {
      const endpointId = intent.endpointId;
      const left = await putNodeBack(async () => Engine.connect(await endpointConnection(endpointId)), taken.id, intent.containers, { signal: job.takenSignal, makeSafe });
      if (left === 'left-stopped') {
        // The restore's note says why and how to recover; the leases end, for that recovery.
      } else if (left.length === 0) {
        await job.record((tx) => subject!.record.started(tx, intent.downtimeMs, `the containers started again when Lifeboat took the job over (${why})`));
        if (job.currentState === 'warning') await job.move('succeeded');
      } else {
        await job.record((tx) =>
          subject!.record.warn(tx, `not started again after the interruption: ${describeStartFailures(left)}. Lifeboat keeps trying; or start them by hand.`),
        );
        // The safety copy stays until the volumes are put back.
        if (!makeSafe) await discardTemporaryFiles(taken.id);
        // The node is not back: the job keeps holding it, and a supervisor takes it over again to retry.
        return job.leave();
      }
    }
    await discardTemporaryFiles(taken.id);
    await job.release();
  } catch (error) {
    job.interrupt(messageOf(error));
    job.leave();
    throw error;
  }
}
