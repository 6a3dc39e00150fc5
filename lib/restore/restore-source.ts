import 'server-only';
import fs from 'node:fs';
import { archivePaths, uploadPaths } from '@/lib/archive/archive-store';
import { LifeboatError } from '@/lib/errors';
import { getBackup } from '@/lib/history/backup-history';

export type RestoreSource = { kind: 'backup'; backupId: string } | { kind: 'upload'; uploadId: string; name: string };

/** `volumes`: what the archive holds, when the history knows it (an upload's is known only once it is read). */
export type ResolvedSource = { path: string; backupId: string | null; uploadId: string | null; uploadName: string | null; volumes: string[] | null };

/** The archive file behind a source: a stored backup from the history, or an uploaded file. */
export async function resolveSource(source: RestoreSource): Promise<ResolvedSource> {
  if (source.kind === 'backup') {
    const backup = await getBackup(source.backupId);
    if (!backup.stored) throw new LifeboatError('not_found', `backup ${backup.id} has no stored archive (${backup.fileDeletedAt ? 'deleted' : backup.status})`);
    return { path: archivePaths(backup.id).final, backupId: backup.id, uploadId: null, uploadName: null, volumes: backup.volumes };
  }
  const path = uploadPaths(source.uploadId).final;
  if (!fs.existsSync(path)) throw new LifeboatError('not_found', `no uploaded archive ${source.uploadId}: upload it again`);
  return { path, backupId: null, uploadId: source.uploadId, uploadName: source.name, volumes: null };
}
