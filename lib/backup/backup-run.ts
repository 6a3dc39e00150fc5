import 'server-only';
import { createHash } from 'node:crypto';
import { pipeline as pipelineCallback, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { archivePaths, commitArchive, discardTemporaryFiles, ensureStore, removeSpool, spoolPath } from '@/lib/archive/archive-store';
import { GrowingFile } from '@/lib/archive/growing-file';
import type { Manifest } from '@/lib/archive/manifest';
import { readSpooledTar, spoolTar, type SpooledTar } from '@/lib/archive/spool';
import { writeVolumeArchive, type ArchiveSource } from '@/lib/archive/volume-archive';
import { encryptWithPassphrase } from '@/lib/crypto/passphrase-encryption';
import { newSpoolKey } from '@/lib/crypto/spool-cipher';
import { engineError } from '@/lib/docker/engine-error';
import type { Engine } from '@/lib/docker/engine';
import { messageOf } from '@/lib/errors';
import {
  backupRestartRecorder,
  recordBackupStart,
  recordFailure,
  recordPhase,
  recordSuccess,
  type BackupPhase,
  type BackupView,
} from '@/lib/history/backup-history';
import { whileStopped } from '@/lib/jobs/container-restart';
import { addJob, exclusively, removeJob, type Job } from '@/lib/jobs/job-registry';
import type { BackupRequestInput } from '@/lib/validations/backup';
import { archiveFileName, planBackup, type BackupPlan } from './backup-plan';

export type BackupOrder = BackupRequestInput & { requestedBy: string; kind?: 'manual' | 'scheduled' | 'pre-restore'; withinJob?: string };
export type StartedBackup = { id: string; fileName: string; done: Promise<void> };

/**
 * Checks the order, records the intent and starts the job; returns as soon as it runs. The job owns
 * itself: a request that goes away does not stop it.
 */
export async function startBackup(order: BackupOrder): Promise<StartedBackup> {
  const { plan, row, job } = await exclusively(async () => {
    const plan = await planBackup(order);
    const row = await recordBackupStart({
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
    });
    const job: Job = {
      id: row.id,
      kind: 'backup',
      nodeKey: plan.node.key,
      hostname: plan.node.hostname,
      stopsControlPlane: plan.stopsControlPlane,
      holdsNode: true,
      progress: { phase: 'preparing', volume: null, bytesRead: 0, bytesTotal: plan.expectedBytes, startedAt: Date.now(), encryptedBytes: 0 },
      archive: new GrowingFile(archivePaths(row.id).part),
    };
    addJob(job);
    return { plan, row, job };
  });
  return { id: row.id, fileName: row.fileName, done: runBackup(plan, row, job, order.passphrase) };
}

async function runBackup(plan: BackupPlan, row: BackupView, job: Job, passphrase: string) {
  const { engine } = plan;
  const abort = new AbortController();
  const archive = job.archive!;
  const spoolKey = newSpoolKey();
  let readerId: string | null = null;
  try {
    await ensureStore();
    readerId = await engine.createVolumeReader(plan.helperImage, plan.volumes, row.id);
    const inspected = await inspectAll(engine, plan);
    // While UCP is stopped, only copy the engine's bytes to the encrypted spool: downtime stays at
    // engine speed whatever OpenPGP's speed. Everything else happens once UCP runs again.
    await setPhase(job, 'stopping');
    const spooled = await whileStopped({ engine, containers: plan.containersToStop, jobId: row.id, record: backupRestartRecorder(row.id) }, async () => {
      await setPhase(job, 'reading');
      return spoolVolumes(plan, readerId!, row.id, spoolKey, abort.signal, job);
    });
    await setPhase(job, 'encrypting');
    const result = await packAndEncrypt({
      source: {
        volumes: plan.volumes,
        openVolume: (volume) => readSpooledTar(spooled.find((s) => s.volume === volume)!, spoolKey),
        containers: inspected,
        node: { hostname: plan.node.hostname, swarmNodeId: plan.node.id },
        engineVersion: plan.engineVersion,
        ucpVersion: plan.ucpVersion,
        createdAt: row.startedAt,
      },
      passphrase,
      archive,
      job,
    });
    await commitArchive(row.id, archive);
    await recordSuccess(row.id, result);
    // Only now do downloads that follow the archive end: what they hold is what the history records.
    archive.complete();
    job.progress.phase = 'done';
  } catch (error) {
    abort.abort();
    archive.fail(error instanceof Error ? error : new Error(String(error)));
    await discardTemporaryFiles(row.id);
    await recordFailure(row.id, messageOf(error));
  } finally {
    if (readerId) await engine.removeContainer(readerId).catch(() => {});
    await removeSpool(row.id).catch(() => {});
    removeJob(row.id);
  }
}

/** The engine's tar of each volume, one after the other, into the job's spool. */
async function spoolVolumes(plan: BackupPlan, readerId: string, jobId: string, key: Buffer, signal: AbortSignal, job: Job): Promise<SpooledTar[]> {
  const spooled: SpooledTar[] = [];
  for (const [index, volume] of plan.volumes.entries()) {
    job.progress.volume = volume;
    const engineTar = await plan.engine.readArchive(readerId, `/lifeboat/${volume}`, signal, `reading volume ${volume}`);
    let engineFailure: unknown = null;
    engineTar.once('error', (error) => (engineFailure ??= error));
    try {
      spooled.push(await spoolTar(volume, engineTar, spoolPath(jobId, index), key, (n) => (job.progress.bytesRead += n)));
    } catch (error) {
      // Say it was the engine's stream that broke, not the spool.
      throw engineFailure ? engineError(plan.engine.name, `reading volume ${volume}`, engineFailure, 0) : error;
    }
  }
  return spooled;
}

/** Re-packs the spooled tars as the archive's tar, encrypts it with the passphrase and writes it to the store. */
async function packAndEncrypt({ source, passphrase, archive, job }: { source: ArchiveSource; passphrase: string; archive: GrowingFile; job: Job }) {
  const pack = tar.pack();
  let plainBytes = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      plainBytes += chunk.length;
      callback(null, chunk);
    },
  });
  const encrypted = await encryptWithPassphrase(pipelineCallback(pack, counted, () => {}), passphrase);
  const hash = createHash('sha256');
  let encryptedBytes = 0;
  const measured = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      encryptedBytes += chunk.length;
      job.progress.encryptedBytes = encryptedBytes;
      callback(null, chunk);
    },
  });
  const writing = pipeline(encrypted, measured, archive.writer());
  let manifest: Manifest;
  try {
    manifest = await writeVolumeArchive(pack, source);
    pack.finalize();
  } catch (error) {
    pack.destroy(error as Error);
    await writing.catch(() => {});
    throw error;
  }
  await writing;
  return { plainBytes, encryptedBytes, sha256: hash.digest('hex'), manifest };
}

async function inspectAll(engine: Engine, plan: BackupPlan): Promise<Record<string, unknown>> {
  const entries = await Promise.all(plan.containersToDescribe.map(async (c) => [c.name, await engine.inspectContainer(c.id)] as const));
  return Object.fromEntries(entries);
}

async function setPhase(job: Job, phase: BackupPhase) {
  job.progress.phase = phase;
  await recordPhase(job.id, phase);
}
