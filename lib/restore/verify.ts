import 'server-only';
import { randomUUID } from 'node:crypto';
import { readArchiveFile } from '@/lib/archive/archive-reader';
import type { Opener } from '@/lib/crypto/archive-encryption';
import { db } from '@/lib/db';
import { LifeboatError, messageOf } from '@/lib/errors';
import { getBackup, recordVerification, requireStoredArchive } from '@/lib/history/backup-history';
import { archivePaths } from '@/lib/archive/archive-store';
import { finalStateOf, JobAborted } from '@/lib/jobs/job-abort';
import { acquireJob } from '@/lib/jobs/job-lease';
import { summarize, type VerificationReport } from './report';
import { plural } from '@/lib/plural';

/** "Verify" on a history row: proof that the backup restores, without restoring it. The result is kept on the row. */
export async function verifyBackup(backupId: string, opener: Opener): Promise<VerificationReport> {
  const backup = await getBackup(backupId);
  if (!backup.stored) throw new LifeboatError('not_found', `backup ${backup.id} has no stored archive to verify`);
  // A job like any other (any process sees it, a shutdown cuts it short), that holds no node.
  const { job } = await acquireJob(
    { kind: 'verify', nodeKey: backup.nodeId ?? backup.nodeHostname, hostname: backup.nodeHostname, holdsNode: false, stopsControlPlane: false },
    'checking',
    async (tx) => {
      await requireStoredArchive(backup.id, tx);
      return { id: `v${randomUUID()}` };
    },
    null,
  );
  try {
    const verified = await readArchiveFile(archivePaths(backup.id).final, opener, undefined, job.signal);
    if (backup.sha256 && verified.archiveSha256 !== backup.sha256) {
      throw new LifeboatError('invalid_input', 'the stored archive is not the one the backup wrote: its SHA-256 differs from the history');
    }
    await job.end('succeeded', (tx) =>
      recordVerification(backup.id, true, `verified: ${plural(verified.manifest.volumes.length, 'volume')}, every file's SHA-256 and the OpenPGP integrity check`, tx),
    );
    return summarize(verified.manifest, verified.archiveSha256, verified.containers, null);
  } catch (error) {
    await job.end(finalStateOf(error)).catch(() => {});
    // Only what is wrong with the archive is recorded as a failed verification: not a wrong
    // passphrase or key, nor a failure of Lifeboat's own (its OpenPGP worker, the file system).
    const aboutTheArchive = error instanceof LifeboatError && !(error instanceof JobAborted) && (error.code === 'invalid_input' || error.code === 'conflict');
    // With its webhook event, in one transaction.
    if (aboutTheArchive) await db.$transaction((tx) => recordVerification(backup.id, false, messageOf(error), tx));
    throw error;
  }
}
