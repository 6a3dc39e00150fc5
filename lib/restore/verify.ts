import 'server-only';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { finished } from 'node:stream/promises';
import { pipeline as pipelineCallback, Transform } from 'node:stream';
import { readArchive, type ArchiveContents, type EntryVisitor } from '@/lib/archive/archive-reader';
import { LifeboatError, messageOf } from '@/lib/errors';
import { getBackup, recordVerification } from '@/lib/history/backup-history';
import { archivePaths } from '@/lib/archive/archive-store';
import { summarize, type VerificationReport } from './report';

type VerifiedArchive = ArchiveContents & { archiveSha256: string };

export const discard: EntryVisitor = async ({ body }) => {
  body.resume();
  await finished(body);
};

/**
 * One full pass over an archive file, changing nothing anywhere: decrypts it, checks the OpenPGP
 * integrity code, every entry and every file's SHA-256 against the manifest. `visit` sees each entry;
 * only once this resolves are they known to be authentic.
 */
export async function readArchiveFile(path: string, passphrase: string, visit: EntryVisitor = discard): Promise<VerifiedArchive> {
  const hash = createHash('sha256');
  const hashed = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  const contents = await readArchive(pipelineCallback(fs.createReadStream(path, { highWaterMark: 1024 * 1024 }), hashed, () => {}), passphrase, visit);
  return { ...contents, archiveSha256: hash.digest('hex') };
}

/** "Verify" on a history row: proof that the backup restores, without restoring it. The result is kept on the row. */
export async function verifyBackup(backupId: string, passphrase: string): Promise<VerificationReport> {
  const backup = await getBackup(backupId);
  if (!backup.stored) throw new LifeboatError('not_found', `backup ${backup.id} has no stored archive to verify`);
  try {
    const verified = await readArchiveFile(archivePaths(backup.id).final, passphrase);
    if (backup.sha256 && verified.archiveSha256 !== backup.sha256) {
      throw new LifeboatError('invalid_input', 'the stored archive is not the one the backup wrote: its SHA-256 differs from the history');
    }
    await recordVerification(backup.id, true, `verified: ${verified.manifest.volumes.length} volumes, every file's SHA-256 and the OpenPGP integrity check`);
    return summarize(verified.manifest, verified.archiveSha256, verified.containers, null);
  } catch (error) {
    // Only what is wrong with the archive is recorded as a failed verification: not a wrong
    // passphrase, nor a failure of Lifeboat's own (its OpenPGP worker, the file system).
    const aboutTheArchive = error instanceof LifeboatError && (error.code === 'invalid_input' || error.code === 'conflict');
    if (aboutTheArchive) await recordVerification(backup.id, false, messageOf(error));
    throw error;
  }
}
