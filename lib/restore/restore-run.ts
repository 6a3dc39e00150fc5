import 'server-only';
import fs from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { freeBytes, inMegabytes, removeSpool, removeUpload, ROOM_MARGIN_BYTES, spoolPath } from '@/lib/archive/archive-store';
import { readArchiveFile } from '@/lib/archive/archive-reader';
import { readSpooledTar, spoolTar, type SpooledTar } from '@/lib/archive/spool';
import { recipientsOf, type UserOpener } from '@/lib/crypto/archive-encryption';
import { refuseUnusableRecipients } from '@/lib/keys/key-facts';
import { newSpoolKey } from '@/lib/crypto/spool-cipher';
import { MANIFEST_FORMAT, MANIFEST_VERSION, type ManifestSummary } from '@/lib/archive/manifest';
import { findNode } from '@/lib/cluster/discovery';
import { helperImageId } from '@/lib/docker/helper-image';
import { LifeboatError, messageOf } from '@/lib/errors';
import {
  forgetRestore,
  nodesNeedingAttention,
  recordRestoreEnd,
  recordRestoreIntent,
  recordRestoreReport,
  recordRestoreStart,
  recordRestoreWarning,
  recordUndo,
  recordVolumesSettled,
  restoreMirror,
  restoreRestartRecorder,
  restoreUndo,
} from '@/lib/history/restore-history';
import { requireStoredArchive } from '@/lib/history/backup-history';
import { finalStateOf, JobAborted } from '@/lib/jobs/job-abort';
import { requestCancel } from '@/lib/jobs/job-cancel';
import { acquireJob, recheckLeases, type LeaseClaim } from '@/lib/jobs/job-lease';
import type { RunningJob } from '@/lib/jobs/running-job';
import { NotSafeToStart, whileStopped } from '@/lib/jobs/stop-window';
import { summarize, type VerificationReport } from './report';
import { keepSafetyCopy } from './safety-backup';
import { refuseWithoutRoomForCopy, takeSafetyCopy, type Undo } from './safety-copy';
import { settleVolumes, volumesUnsettled } from './settle-volumes';
import { planRestore, targetPlanOf, type RestorePlan } from './restore-plan';
import { resolveSource, type ResolvedSource, type RestoreSource } from './restore-source';
import { emptyVolumes, setVolumeRoots, volumeTarWriter, WRITE_PATH } from './volume-writer';

export type RestoreOrder = {
  source: RestoreSource;
  target: string;
  /** The archive's passphrase, or the private key it was encrypted to: for this job only, never stored. */
  opener: UserOpener;
  dryRun: boolean;
  force?: boolean;
  /** For a node whose data is lost: no automatic backup of its volumes before they are replaced. */
  skipSafetyBackup?: boolean;
  confirmOutage?: boolean;
  confirmLostQuorum?: boolean;
  requestedBy: string;
};

/** How a restore ended; `error` keeps its code, so the API can answer 4xx for bad input. */
export type RestoreOutcome = { status: 'succeeded' | 'failed'; error: LifeboatError | null };

export type StartedRestore = { id: string; done: Promise<RestoreOutcome> };

/**
 * Starts a restore (or a dry run) as a job and returns at once. It verifies the whole archive first;
 * a dry run stops there. A restore then takes a safety backup of what it will replace, records its
 * intent, stops what uses the volumes, makes each volume exactly the backup's, and starts it all again.
 */
export async function startRestore(order: RestoreOrder): Promise<StartedRestore> {
  const source = await resolveSource(order.source);
  const node = await findNode(order.target);
  // The safety copy is encrypted to what opened the archive: a key that can no longer take it (expired,
  // revoked) is refused now, not once the volumes are replaced and the undo cannot be kept.
  if (!order.dryRun && !order.skipSafetyBackup) {
    await refuseUnusableRecipients(recipientsOf(order.opener), 'the safety copy of the volumes it replaces is encrypted to its public part');
  }
  // Fail fast, before the verification pass: an unreachable engine; then the leases (a busy node, a refused quorum)
  // for the volumes the history says the archive holds. An upload's are known once it is verified: the guard
  // weighs them then, before anything stops.
  const early = order.dryRun ? null : await planRestore({ target: order.target, manifest: emptyManifest(node.hostname, source.volumes ?? []), force: true });
  // A restore's helpers run Lifeboat's image: one tagged with its name but not its content is refused now. A dry run loads nothing.
  if (early) await helperImageId(early.engine);
  const claim = leaseClaim(order, node.key, node.hostname, early);
  const { job, row } = await acquireJob(
    claim,
    'checking',
    async (tx) => {
      if (source.backupId) await requireStoredArchive(source.backupId, tx);
      return recordRestoreStart(
        {
          sourceKind: order.source.kind,
          backupId: source.backupId,
          uploadId: source.uploadId,
          uploadName: source.uploadName,
          targetHostname: node.hostname,
          targetNodeId: node.id,
          endpointId: node.endpoint?.id ?? null,
          dryRun: order.dryRun,
          forced: Boolean(order.force),
          requestedBy: order.requestedBy,
        },
        tx,
      );
    },
    restoreMirror,
  );
  return { id: row.id, done: runRestore(order, source, job, claim) };
}

/** A dry run holds nothing; a restore holds its node, and reserves a controller when it stops UCP. */
function leaseClaim(order: RestoreOrder, nodeKey: string, hostname: string, plan: RestorePlan | null): LeaseClaim {
  return {
    kind: 'restore',
    nodeKey,
    hostname,
    holdsNode: !order.dryRun,
    stopsControlPlane: Boolean(plan?.stopsControlPlane),
    quorum: plan ? { controllers: plan.controllers, consent: { outage: Boolean(order.confirmOutage), lostQuorum: Boolean(order.confirmLostQuorum) } } : undefined,
  };
}

async function runRestore(order: RestoreOrder, source: ResolvedSource, job: RunningJob, claim: LeaseClaim): Promise<RestoreOutcome> {
  const id = job.id;
  let written = false;
  let restored = false;
  let warning: string | null = null;
  try {
    // The verification pass also packs each volume's tar, as the engine takes it, into a spool
    // (encrypted, authenticated in 1 MiB records): the write pass, with the containers stopped, then
    // only replays it to the engine, with no second OpenPGP decryption.
    const spool = order.dryRun ? null : await openSpool(id, source.path);
    const verified = await readArchiveFile(source.path, order.opener, spool?.writer.visitor, job.signal).catch(async (error) => {
      await spool?.writer.abort(error);
      throw error;
    });
    const spooled = spool && { key: spool.key, tars: await spool.writer.finish() };
    const plan = await withLeftStopped(await planRestore({ target: order.target, manifest: verified.manifest, force: Boolean(order.force) }));
    if (!order.dryRun) await recheckLeases(id, leaseClaim(order, claim.nodeKey!, claim.hostname!, plan));
    const report: VerificationReport = summarize(verified.manifest, verified.archiveSha256, verified.containers, targetPlanOf(plan));
    await job.record((tx) => recordRestoreReport(id, report, tx));
    if (order.dryRun) {
      await job.end('succeeded', (tx) => recordRestoreEnd(id, null, tx));
      return { status: 'succeeded', error: null };
    }

    const replaced = plan.volumes.filter((v) => v.action === 'replace').map((v) => v.name);
    const created = plan.volumes.filter((v) => v.action === 'create').map((v) => v.name);
    const copying = replaced.length > 0 && !order.skipSafetyBackup;
    if (copying) await refuseWithoutRoomForCopy(plan.engine, replaced);
    const described = copying ? await describeContainers(plan) : {};
    await job.record((tx) => recordRestoreIntent(id, { stoppedContainers: plan.containersToStop, safetyBackupId: null }, tx));
    await job.move('stopping');
    const copies = await whileStopped(
      { job, engine: plan.engine, containers: plan.containersToStop, record: restoreRestartRecorder(id), onStarting: () => job.move('starting') },
      async (signal) => {
        // The undo, inside the restore's own stop window: one outage, a copy of the volumes as they were.
        // Nothing replaced, nothing to copy: putting back is removing what it created.
        let copied: Undo['copies'] = replaced.length ? null : [];
        if (copying) {
          await job.move('copying');
          let bytesRead = 0;
          copied = await takeSafetyCopy(plan.engine, id, replaced, signal, (n) => job.reportProgress({ bytesRead: (bytesRead += n) }));
        }
        signal.throwIfAborted();
        // Without a copy to put back, a cancel would leave the volumes half written: the write pass finishes.
        if (!copied && replaced.length) job.refuseCancel(NO_CANCEL_WITHOUT_COPY);
        await job.record((tx) => recordUndo(id, { replaced, created, copies: copied }, tx));
        try {
          await job.move('writing');
          await writeVolumes(plan, spooled!, verified.manifest, id, signal, (step) => job.timeStep(step));
          await job.record((tx) => recordVolumesSettled(id, 'restored', tx));
        } catch (error) {
          // A process that took the job over puts the volumes back itself.
          if (job.takenSignal.aborted) throw error;
          throw new NotSafeToStart(error, settleVolumes(job));
        }
        written = true;
        return copied;
      },
    );
    job.throwIfStopped();
    if (copies?.length) {
      await job.move('encrypting');
      warning = await keepSafetyCopy({ job, plan, copies, recipients: recipientsOf(order.opener), requestedBy: order.requestedBy, containers: described }).then(
        () => null,
        (error) => `the volumes were restored, but their safety copy could not be kept in the history: ${messageOf(error)}`,
      );
    }
    await job.end('succeeded', async (tx) => {
      await recordRestoreEnd(id, null, tx);
      if (warning) await recordRestoreWarning(tx, id, warning);
    });
    restored = true;
    return { status: 'succeeded', error: null };
  } catch (error) {
    if (order.dryRun && isWrongOpener(error)) {
      await job.endUnrecorded((tx) => forgetRestore(id, tx)).catch((failure) => console.error(`lifeboat: verification ${id}: ending it failed: ${messageOf(failure)}`));
      return { status: 'failed', error: error as LifeboatError };
    }
    const message = `${messageOf(error)}${written ? '' : await volumesOutcome(id)}`;
    await job
      .end(finalStateOf(error), (tx) => recordRestoreEnd(id, message, tx))
      .catch((failure) => console.error(`lifeboat: restore ${id}: recording its failure failed: ${messageOf(failure)}`));
    return { status: 'failed', error: new LifeboatError(error instanceof LifeboatError ? error.code : 'internal', message) };
  } finally {
    // The safety copy's spools stay while its volumes may still have to be put back (the job holds its node until then).
    if (!(await volumesUnsettled(id).catch(() => true))) await removeSpool(id).catch(() => {});
    // An upload is used up once restored; a refused or failed restore keeps it, to try again (the sweep forgets it after a day).
    if (order.source.kind === 'upload' && restored) await removeUpload(order.source.uploadId).catch(() => {});
  }
}

/** The passphrase or key typed does not open the archive: nothing is wrong with the archive itself. */
function isWrongOpener(error: unknown) {
  return error instanceof LifeboatError && !(error instanceof JobAborted) && error.code === 'wrong_passphrase';
}

const NO_CANCEL_WITHOUT_COPY =
  'this restore is writing its volumes without a safety copy: cancelling it now would leave them half written, so it cannot be cancelled until it ends';

/** Whether a cancel is taken now: not while the restore writes without a safety copy to put back. */
export async function restoreCancellable(id: string) {
  const restore = await restoreUndo(id).catch(() => null);
  return !(restore?.volumesState === 'writing' && !restore.undo?.copies);
}

/** Cancels a running restore (or verification); refused while it writes without a safety copy to put back. */
export function cancelRestore(id: string) {
  return requestCancel('restore', id, async () => ((await restoreCancellable(id)) ? null : NO_CANCEL_WITHOUT_COPY));
}

/** With the containers stopped: the volumes made exactly the archive's, from the verified spools. */
/** `timeStep` times emptying the volumes apart from writing them. */
async function writeVolumes(
  plan: RestorePlan,
  spooled: { key: Buffer; tars: SpooledTar[] },
  manifest: ManifestSummary,
  id: string,
  signal: AbortSignal,
  timeStep: (step: 'emptying' | 'writing') => void,
) {
  for (const volume of plan.volumes.filter((v) => v.action === 'create')) await plan.engine.createVolume(volume.name);
  signal.throwIfAborted();
  const writerId = await plan.engine.createVolumeWriter(
    await helperImageId(plan.engine),
    plan.volumes.map((v) => v.name),
    id,
  );
  try {
    signal.throwIfAborted();
    timeStep('emptying');
    await emptyVolumes(
      plan.engine,
      plan.volumes.filter((v) => v.action === 'replace').map((v) => v.name),
      id,
    );
    timeStep('writing');
    const intoVolume = (volume: string, tar: Readable) => plan.engine.writeArchive(writerId, WRITE_PATH, tar, signal, `writing volume ${volume}`);
    for (const tar of spooled.tars) await replayInto(intoVolume, tar, spooled.key);
    signal.throwIfAborted();
    const roots = manifest.volumes.flatMap(({ name, root }) => (root ? [{ volume: name, entry: root }] : []));
    await setVolumeRoots(plan.engine, roots, id);
  } finally {
    await plan.engine.removeContainer(writerId).catch(() => {});
  }
}

/** What the failure did to the volumes, for its message: put back, about to be, or left. */
async function volumesOutcome(id: string) {
  const restore = await restoreUndo(id).catch(() => null);
  switch (restore?.volumesState) {
    case 'put-back':
      return '; the volumes were put back as they were, from the safety copy';
    case 'writing':
      return '; the volumes are put back from the safety copy before anything starts: Lifeboat keeps trying while the engine does not answer';
    case 'left':
      return `; ${restore.attention}`;
    default:
      return '';
  }
}

/**
 * Containers that an earlier restore left stopped on the node (it needs attention): this restore, which
 * writes the node's volumes, starts them with its own.
 */
async function withLeftStopped(plan: RestorePlan): Promise<RestorePlan> {
  const left = (await nodesNeedingAttention()).get(plan.node.hostname);
  if (!left) return plan;
  const extra = left.containers.filter((c) => !plan.containersToStop.some((s) => s.id === c.id));
  return { ...plan, containersToStop: [...plan.containersToStop, ...extra] };
}

/**
 * Spools for each volume's tar: the write pass replays only what the verification authenticated. Without
 * room for them the restore refuses, before it reads anything: it never writes what it has not checked.
 */
async function openSpool(id: string, archivePath: string) {
  const needed = (await fs.stat(archivePath)).size + ROOM_MARGIN_BYTES;
  const free = await freeBytes();
  if (free < needed) {
    throw new LifeboatError(
      'no_room',
      `the archive store has ${inMegabytes(free)} free; this restore needs about ${inMegabytes(needed)} to keep the verified volumes until it writes them (no byte reaches a volume before it is authenticated): free some space or delete old archives`,
    );
  }
  const key = newSpoolKey();
  let index = 0;
  return { key, writer: volumeTarWriter((volume, tar) => spoolTar(volume, tar, spoolPath(id, index++), key)) };
}

/** Sends a spooled volume tar to the engine; a spool changed on disk fails the write instead of ending it. */
async function replayInto(intoVolume: (volume: string, tar: Readable) => Promise<void>, spooled: SpooledTar, key: Buffer) {
  const tar = readSpooledTar(spooled, key);
  const read = finished(tar);
  read.catch(() => {});
  try {
    await Promise.race([intoVolume(spooled.volume, tar), read.then(() => new Promise<never>(() => {}))]);
    // The engine may answer once it has read the tar's end, before the spool's record count is checked
    // at the file's end: read what is left, so that the check runs and its failure fails the restore.
    tar.resume();
    await read;
  } catch (error) {
    tar.destroy();
    throw error;
  }
}

async function describeContainers(plan: RestorePlan): Promise<Record<string, unknown>> {
  return Object.fromEntries(await Promise.all(plan.containersToStop.map(async (c) => [c.name, await plan.engine.inspectContainer(c.id)] as const)));
}

/** For the early check, before the archive is read: the volumes it is expected to hold, empty; no version. */
function emptyManifest(hostname: string, volumes: string[]): ManifestSummary {
  return {
    format: MANIFEST_FORMAT,
    formatVersion: MANIFEST_VERSION,
    createdAt: '',
    node: { hostname, swarmNodeId: null },
    engineVersion: null,
    ucpVersion: null,
    containers: [],
    volumes: volumes.map((name) => ({ name, files: 0, bytes: 0, root: null })),
  };
}
