import 'server-only';
import { db } from '@/lib/db';
import { isRunning } from './job-states';
import { progressFigures, type JobProgress, type ProgressFigures } from './progress-figures';

export type LiveProgress = ProgressFigures;

/** A running job's progress as its owner last wrote it, from whichever process owns it; null once it ended. */
export async function liveProgress(id: string): Promise<LiveProgress | null> {
  const row = await db.job.findUnique({ where: { id }, select: { state: true, progress: true, createdAt: true } });
  if (!row || !isRunning(row.state)) return null;
  const progress: JobProgress = row.progress
    ? JSON.parse(row.progress)
    : { volume: null, volumeIndex: 0, volumeCount: 0, bytesRead: 0, bytesTotal: null, encryptedBytes: 0, startedAt: row.createdAt.getTime() };
  return progressFigures(progress, row.state, Date.now());
}
