import 'server-only';
import { pipeline } from 'node:stream/promises';
import { archivePaths, commitArchive, discardTemporaryFiles, ensureStore, removeSpool, spoolPath } from '@/lib/archive/archive-store';
import { readVolumes } from '@/lib/archive/spool';
import { SpillBuffer } from '@/lib/archive/spill-buffer';
import { tap } from '@/lib/archive/stream-tap';
import { writeEncryptedArchive, type WrittenArchive } from '@/lib/archive/archive-writer';
import { newSpoolKey } from '@/lib/crypto/spool-cipher';
import type { Engine } from '@/lib/docker/engine';
import { helperImageId } from '@/lib/docker/helper-image';
import { messageOf } from '@/lib/errors';
import {
  backupMirror,
  backupRestartRecorder,
  recordBackupStart,
  recordFailure,
  recordStopIntent,
  recordSuccess,
  type BackupView,
  type PolicyLabel,
} from '@/lib/history/backup-history';
import { discardManifest, manifestParts } from '@/lib/history/manifest-parts';
import { finalStateOf } from '@/lib/jobs/job-abort';
import { acquireJob, recheckLeases, type LeaseClaim } from '@/lib/jobs/job-lease';
import type { RunningJob } from '@/lib/jobs/running-job';
import { whileStopped } from '@/lib/jobs/stop-window';
import type { BackupRequestInput } from '@/lib/validations/backup';
import { archiveFileName, planBackup, replanStops, type BackupPlan } from './backup-plan';
import { refuseUnbackupable } from './volume-scan';

/** `sessionKey`: the key to write the archive with, held in memory by a caller that verifies it afterwards (a policy's run). */
export type BackupOrder = BackupRequestInput & { requestedBy: string; kind?: 'manual' | 'scheduled' | 'pre-restore'; policy?: PolicyLabel; sessionKey?: Uint8Array };
/**
 * `done` settles when the job ends, whatever its outcome (the history says which); it never rejects.
 * `released`, once it lets go of its node and quorum reservation (its containers run again, or that was given up).
 */
export type StartedBackup = { id: string; fileName: string; done: Promise<void>; released: Promise<void> };

/**
 * Checks the order, takes the node's lease (and a quorum reservation), records the intent and starts
 * the job; returns as soon as it runs. The job owns itself: a request that goes away does not stop it.
 */
export async function startBackup(order: BackupOrder): Promise<StartedBackup> {
  const plan = await planBackup(order);
  const { job, row } = await acquireJob(
    leaseClaim(plan, order),
    'checking',
    (tx) =>
      recordBackupStart(
        {
          kind: order.kind ?? 'manual',
          nodeId: plan.node.id,
          nodeHostname: plan.node.hostname,
          endpointId: plan.node.endpoint!.id,
          volumes: plan.volumes,
          scope: plan.scope,
          note: order.note || null,
          requestedBy: order.requestedBy,
          fileName: archiveFileName(plan.node.hostname, new Date()),
          ucpVersion: plan.ucpVersion,
          engineVersion: plan.engineVersion,
          stoppedContainers: plan.containersToStop,
          encryptedTo: plan.encryptedTo,
          policy: order.policy,
        },
        tx,
      ),
    backupMirror,
  );
  job.reportProgress({ bytesTotal: plan.expectedBytes, volumeCount: plan.volumes.length });
  return { id: row.id, fileName: row.fileName, done: runBackup(plan, row, job, order), released: job.released };
}

function leaseClaim(plan: BackupPlan, order: BackupOrder): LeaseClaim {
  return {
    kind: 'backup',
    nodeKey: plan.node.key,
    hostname: plan.node.hostname,
    holdsNode: true,
    stopsControlPlane: plan.stopsControlPlane,
    quorum: { controllers: plan.controllers, consent: { outage: Boolean(order.confirmOutage), lostQuorum: Boolean(order.confirmLostQuorum) } },
  };
}

async function runBackup(planned: BackupPlan, row: BackupView, job: RunningJob, order: BackupOrder) {
  const { engine } = planned;
  const spoolKey = newSpoolKey();
  let readerId: string | null = null;
  let buffers: SpillBuffer[] = [];
  let written: Promise<WrittenArchive | void> = Promise.resolve();
  let ending: () => Promise<void>;
  let failed = false;
  try {
    await ensureStore();
    // Now that the job holds the node, what runs on it is what this job stops (and records it will).
    const plan = await replanStops(planned);
    if (plan.stopsControlPlane && !planned.stopsControlPlane) await recheckLeases(row.id, leaseClaim(plan, order));
    await refuseUnbackupable(engine, { image: await helperImageId(engine), volumes: plan.volumes, jobId: row.id });
    await job.record((tx) => recordStopIntent(row.id, plan.containersToStop, tx));
    readerId = await engine.createVolumeReader(await helperImageId(engine), plan.volumes, row.id);
    const inspected = await inspectAll(engine, plan);
    // While the containers are stopped the job only copies: the engine's bytes go to buffers that never
    // hold the engine back (what does not fit in memory goes to an encrypted spool), and the archive is
    // packed and encrypted from them once the copy is whole, with only the CPU the containers' start
    // leaves idle until they run (downloads wait until then too). On a host whose cores the engine needs
    // for its read and the containers for their start, packing beside them would lengthen the downtime.
    buffers = plan.volumes.map((volume, index) => new SpillBuffer(spoolPath(row.id, index), spoolKey, volume));
    let containersStarted!: () => void;
    const started = new Promise<void>((resolve) => (containersStarted = resolve));
    const startWriting = () =>
      writeEncryptedArchive({
        source: {
          volumes: plan.volumes,
          openVolume: (volume) => buffers[plan.volumes.indexOf(volume)],
          containers: inspected,
          node: { hostname: plan.node.hostname, swarmNodeId: plan.node.id },
          engineVersion: plan.engineVersion,
          ucpVersion: plan.ucpVersion,
          createdAt: row.startedAt,
        },
        manifest: manifestParts(row.id),
        recipients: { passphrase: order.passphrase, publicKeys: plan.publicKeys, sessionKey: order.sessionKey },
        path: archivePaths(row.id).part,
        signal: job.signal,
        onEncryptedBytes: (encryptedBytes) => job.reportProgress({ encryptedBytes }),
        yieldUntil: started,
      });
    await job.move('stopping');
    await whileStopped({ job, engine, containers: plan.containersToStop, record: backupRestartRecorder(row.id), onStarting: () => job.move('starting') }, async (signal) => {
      await job.move('copying');
      let bytesRead = 0;
      await readVolumes(
        { engine, helperId: readerId!, volumes: plan.volumes, signal, onVolume: (volume, index) => job.reportProgress({ volume, volumeIndex: index + 1 }) },
        (engineTar, _volume, index) =>
          pipeline(
            engineTar,
            tap((chunk) => job.reportProgress({ bytesRead: (bytesRead += chunk.length) })),
            buffers[index],
          ),
      );
      written = startWriting();
      written.catch(() => {});
    }).finally(containersStarted);
    job.throwIfStopped();
    await job.move('encrypting');
    const result = (await written) as WrittenArchive;
    // An owner that was declared dead (paused, say) and wakes up here must not publish what it made.
    await job.confirmOwnership();
    await commitArchive(row.id);
    // Downloads that follow the archive end once the history says it is stored: what they hold is what it records.
    ending = () => job.end('succeeded', (tx) => recordSuccess(row.id, result, tx));
  } catch (error) {
    failed = true;
    for (const buffer of buffers) buffer.destroy();
    // The archive's file is closed before it is removed.
    await written.catch(() => {});
    await discardTemporaryFiles(row.id).catch(() => {});
    ending = () => job.end(finalStateOf(error), (tx) => recordFailure(row.id, messageOf(error), tx));
  }
  // Everything the job made goes before it ends: once it has, the process may exit (a shutdown waits for that).
  if (readerId) await engine.removeContainer(readerId).catch(() => {});
  await removeSpool(row.id).catch(() => {});
  await ending().catch((failure) => console.error(`lifeboat: backup ${row.id}: recording how it ended failed: ${messageOf(failure)}`));
  // After the end, not in its transaction: on a full disk, deleting a large manifest must not keep the end
  // from being recorded (the sweep removes what is left).
  if (failed) await discardManifest(row.id).catch(() => {});
}

async function inspectAll(engine: Engine, plan: BackupPlan): Promise<Record<string, unknown>> {
  const entries = await Promise.all(plan.containersToDescribe.map(async (c) => [c.name, await engine.inspectContainer(c.id)] as const));
  return Object.fromEntries(entries);
}
