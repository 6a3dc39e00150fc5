import 'server-only';
import fs from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { freeBytes, inMegabytes, removeSpool, removeUpload, ROOM_MARGIN_BYTES, spoolPath } from '@/lib/archive/archive-store';
import { discard, readArchiveFile } from '@/lib/archive/archive-reader';
import { readSpooledTar, spoolTar, type SpooledTar } from '@/lib/archive/spool';
import { newSpoolKey } from '@/lib/crypto/spool-cipher';
import { MANIFEST_FORMAT, MANIFEST_VERSION, type Manifest } from '@/lib/archive/manifest';
import { startBackup } from '@/lib/backup/backup-run';
import { findNode } from '@/lib/cluster/discovery';
import { helperImageId } from '@/lib/docker/helper-image';
import { LifeboatError, messageOf } from '@/lib/errors';
import { getBackup } from '@/lib/history/backup-history';
import { recordRestoreEnd, recordRestoreIntent, recordRestoreReport, recordRestoreStart, restoreMirror, restoreRestartRecorder } from '@/lib/history/restore-history';
import { finalStateOf } from '@/lib/jobs/job-abort';
import { acquireJob, recheckLeases, type LeaseClaim } from '@/lib/jobs/job-lease';
import type { RunningJob } from '@/lib/jobs/running-job';
import { whileStopped } from '@/lib/jobs/stop-window';
import { summarize, type VerificationReport } from './report';
import { planRestore, targetPlanOf, type RestorePlan } from './restore-plan';
import { resolveSource, type ResolvedSource, type RestoreSource } from './restore-source';
import { volumeTarWriter, WRITE_PATH } from './volume-writer';

export type RestoreOrder = {
  source: RestoreSource;
  target: string;
  passphrase: string;
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
    (tx) =>
      recordRestoreStart(
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
      ),
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
  let changed = false;
  let safetyBackupId: string | null = null;
  try {
    // The verification pass also packs each volume's tar, as the engine takes it, into a spool
    // (encrypted, authenticated in 1 MiB records): the write pass, with the containers stopped, then
    // only replays it to the engine, with no second OpenPGP decryption.
    const spool = order.dryRun ? null : await openSpool(id, source.path);
    const verified = await readArchiveFile(source.path, order.passphrase, spool?.writer.visit ?? discard, job.signal).catch((error) => {
      spool?.writer.abort(error);
      throw error;
    });
    const spooled = spool && { key: spool.key, tars: await spool.writer.finish() };
    const plan = await planRestore({ target: order.target, manifest: verified.manifest, force: Boolean(order.force) });
    if (!order.dryRun) await recheckLeases(id, leaseClaim(order, claim.nodeKey!, claim.hostname!, plan));
    const report: VerificationReport = summarize(verified.manifest, verified.archiveSha256, verified.containers, targetPlanOf(plan));
    await job.record((tx) => recordRestoreReport(id, report, tx));
    if (order.dryRun) {
      await job.end('succeeded', (tx) => recordRestoreEnd(id, null, tx));
      return { status: 'succeeded', error: null };
    }

    safetyBackupId = await takeSafetyBackup(order, plan, job);
    await job.record((tx) => recordRestoreIntent(id, { stoppedContainers: plan.containersToStop, safetyBackupId }, tx));
    changed = true;
    await job.move('stopping');
    await whileStopped(
      { job, engine: plan.engine, containers: plan.containersToStop, record: restoreRestartRecorder(id), onStarting: () => job.move('starting') },
      async (signal) => {
        for (const volume of plan.volumes.filter((v) => v.action === 'create')) await plan.engine.createVolume(volume.name);
        signal.throwIfAborted();
        const writerId = await plan.engine.createVolumeWriter(
          await helperImageId(plan.engine),
          plan.volumes.map((v) => v.name),
          id,
        );
        try {
          signal.throwIfAborted();
          await job.move('writing');
          const replaced = plan.volumes.filter((v) => v.action === 'replace').map((v) => v.name);
          if (replaced.length) {
            await plan.engine.runInVolumes({
              image: await helperImageId(plan.engine),
              volumes: replaced,
              script: EMPTY_VOLUMES,
              args: replaced,
              jobId: id,
              what: `emptying ${replaced.join(', ')}`,
            });
          }
          const intoVolume = (volume: string, tar: Readable) => plan.engine.writeArchive(writerId, WRITE_PATH, tar, signal, `writing volume ${volume}`);
          for (const tar of spooled!.tars) await replayInto(intoVolume, tar, spooled!.key);
          // The archive API leaves each volume's own directory as it found it: set its owner, mode and time.
          signal.throwIfAborted();
          await plan.engine.runInVolumes({
            image: await helperImageId(plan.engine),
            volumes: plan.volumes.map((v) => v.name),
            script: SET_VOLUME_ROOTS,
            args: volumeRootsArgs(verified.manifest),
            jobId: id,
            what: "setting the volumes' own directories",
          });
        } finally {
          await plan.engine.removeContainer(writerId).catch(() => {});
        }
      },
    );
    job.throwIfStopped();
    await job.end('succeeded', (tx) => recordRestoreEnd(id, null, tx));
    return { status: 'succeeded', error: null };
  } catch (error) {
    const undo = changed && safetyBackupId ? `; the volumes may be partly restored: restore the safety backup ${safetyBackupId} to undo` : '';
    const message = `${messageOf(error)}${undo}`;
    await job
      .end(finalStateOf(error), (tx) => recordRestoreEnd(id, message, tx))
      .catch((failure) => console.error(`lifeboat: restore ${id}: recording its failure failed: ${messageOf(failure)}`));
    return { status: 'failed', error: new LifeboatError(error instanceof LifeboatError ? error.code : 'internal', message) };
  } finally {
    await removeSpool(id).catch(() => {});
    if (order.source.kind === 'upload' && !order.dryRun) await removeUpload(order.source.uploadId).catch(() => {});
  }
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

/** A backup of the volumes the restore will replace, encrypted with the restore's passphrase: the undo. */
async function takeSafetyBackup(order: RestoreOrder, plan: RestorePlan, job: RunningJob) {
  const restoreId = job.id;
  const replaced = plan.volumes.filter((v) => v.action === 'replace').map((v) => v.name);
  if (order.skipSafetyBackup || replaced.length === 0) return null;
  await job.move('copying');
  const started = await startBackup({
    node: plan.node.hostname,
    volumes: replaced,
    passphrase: order.passphrase,
    note: `before restore ${restoreId}`,
    requestedBy: order.requestedBy,
    kind: 'pre-restore',
    withinJob: restoreId,
    // The restore's own consent (its guard weighed the same node): the safety backup asks for no other.
    confirmOutage: order.confirmOutage,
    confirmLostQuorum: order.confirmLostQuorum,
  });
  await started.done;
  // Cut short with it (a shutdown): the restore is interrupted too, not failed.
  job.throwIfStopped();
  const backup = await getBackup(started.id);
  if (backup.status !== 'succeeded') throw new LifeboatError('conflict', `the safety backup failed, so nothing was changed: ${backup.error}`);
  return started.id;
}

/** Docker's archive API writes but never deletes: a volume becomes exactly the backup's only once emptied. $@: volume names. */
const EMPTY_VOLUMES = 'for volume in "$@"; do cd "/lifeboat/$volume" && rm -rf -- * .[!.]* ..?* || exit 1; done';

/** Sets each volume's own directory: $@ is groups of five (directory, uid, gid, octal mode, time). */
const SET_VOLUME_ROOTS = 'while [ $# -gt 0 ]; do chown "$2:$3" "$1" && chmod "$4" "$1" && touch -d "$5" "$1" || exit 1; shift 5; done';

function volumeRootsArgs(manifest: Manifest) {
  return manifest.volumes.flatMap((volume) => {
    const root = volume.entries.find((e) => e.path === '');
    if (!root) return [];
    const time = root.mtime.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
    return [`/lifeboat/${volume.name}`, String(root.uid), String(root.gid), (root.mode & 0o7777).toString(8), time];
  });
}

/** For the early check, before the archive is read: the volumes it is expected to hold, empty; no version. */
function emptyManifest(hostname: string, volumes: string[]): Manifest {
  return {
    format: MANIFEST_FORMAT,
    formatVersion: MANIFEST_VERSION,
    createdAt: '',
    node: { hostname, swarmNodeId: null },
    engineVersion: null,
    ucpVersion: null,
    containers: [],
    volumes: volumes.map((name) => ({ name, files: 0, bytes: 0, entries: [] })),
  };
}
