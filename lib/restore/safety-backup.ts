import 'server-only';
import { randomUUID } from 'node:crypto';
import { archivePaths, commitArchive } from '@/lib/archive/archive-store';
import { writeEncryptedArchive } from '@/lib/archive/archive-writer';
import { archiveFileName } from '@/lib/backup/backup-plan';
import type { Recipients } from '@/lib/crypto/archive-encryption';
import { recordSafetyBackup } from '@/lib/history/backup-history';
import { discardManifest, manifestParts } from '@/lib/history/manifest-parts';
import type { RunningJob } from '@/lib/jobs/running-job';
import { encryptedToOf } from '@/lib/keys/key-facts';
import type { RestorePlan } from './restore-plan';
import { readSafetyCopy, type Undo } from './safety-copy';

/**
 * Once a restore has written its volumes and started its containers: its safety copy, encrypted so that what
 * opened the restore (its passphrase, or its private key) opens it, becomes a backup in the history (the undo, for as long as it is kept). Resolves
 * to the backup's id.
 */
export async function keepSafetyCopy(options: {
  job: RunningJob;
  plan: RestorePlan;
  copies: NonNullable<Undo['copies']>;
  recipients: Recipients;
  requestedBy: string;
  containers: Record<string, unknown>;
}): Promise<string> {
  const { job, plan, copies, recipients, requestedBy, containers } = options;
  const id = randomUUID();
  const startedAt = new Date();
  const engineVersion = await plan.engine.version().catch(() => null);
  try {
    const result = await writeEncryptedArchive({
      source: {
        volumes: copies.map((c) => c.volume),
        openVolume: (volume) =>
          readSafetyCopy(
            job.id,
            copies.find((c) => c.volume === volume)!,
          ),
        containers,
        node: { hostname: plan.node.hostname, swarmNodeId: plan.node.id },
        engineVersion,
        ucpVersion: plan.targetUcpVersion,
        createdAt: startedAt,
      },
      manifest: manifestParts(job.id),
      recipients,
      // Written as the restore's temporary file and manifest (its lease keeps them from the sweep), stored under the backup's id.
      path: archivePaths(job.id).part,
      signal: job.signal,
      onEncryptedBytes: (encryptedBytes) => job.reportProgress({ encryptedBytes }),
    });
    const encryptedTo = await encryptedToOf(recipients);
    await job.confirmOwnership();
    await commitArchive(job.id, id);
    await job.record((tx) =>
      recordSafetyBackup(
        job.id,
        {
          id,
          startedAt,
          kind: 'pre-restore',
          nodeId: plan.node.id,
          nodeHostname: plan.node.hostname,
          endpointId: plan.node.endpoint!.id,
          volumes: copies.map((c) => c.volume),
          scope: 'custom',
          note: `before restore ${job.id}`,
          requestedBy,
          fileName: archiveFileName(plan.node.hostname, startedAt),
          ucpVersion: plan.targetUcpVersion,
          engineVersion,
          stoppedContainers: plan.containersToStop,
          encryptedTo,
        },
        result,
        tx,
      ),
    );
    return id;
  } catch (error) {
    // Its row is made only once it is stored: until then, its manifest's parts are the restore's.
    await discardManifest(job.id).catch(() => {});
    throw error;
  }
}
