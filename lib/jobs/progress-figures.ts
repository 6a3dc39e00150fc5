/** What a job's owner writes of its progress (lib/jobs/running-job.ts), times in ms since the epoch. */
export type JobProgress = {
  volume: string | null;
  volumeIndex: number;
  volumeCount: number;
  bytesRead: number;
  bytesTotal: number | null;
  encryptedBytes: number;
  startedAt: number;
  /** When the current state began: a rate counts from the copy's start, not the stop before it. */
  stateSince?: number;
  /** The first stop of the job's containers; `downMs` once the last one started again. */
  downSince?: number | null;
  downMs?: number | null;
};

/** What a page shows of a running job, worked out on the server at `now` (the browser's clock may differ). */
export type ProgressFigures = JobProgress & {
  state: string;
  elapsedMs: number;
  /** Bytes per second while it copies; null before anything is read. */
  rate: number | null;
  /** About how long the copy still takes, at that rate; null when unknown. */
  etaMs: number | null;
  /** Share of the copy done, 0..1, held below 1 until the copy ends. */
  share: number | null;
  /** How long the containers have been (or were) stopped; null if they never stopped. */
  downForMs: number | null;
};

const COPY_STATES = new Set(['copying']);

export function progressFigures(progress: JobProgress, state: string, now: number): ProgressFigures {
  const copying = COPY_STATES.has(state);
  const copyMs = copying && progress.stateSince ? now - progress.stateSince : 0;
  // Nothing read yet (the engine is still starting its side): no rate to judge an ETA by.
  const rate = copying && copyMs >= 500 && progress.bytesRead > 0 ? (progress.bytesRead / copyMs) * 1000 : null;
  const left = progress.bytesTotal != null ? Math.max(0, progress.bytesTotal - progress.bytesRead) : null;
  const copied = progress.bytesTotal && progress.bytesRead > 0 ? Math.min(progress.bytesRead / progress.bytesTotal, 1) : null;
  return {
    ...progress,
    state,
    elapsedMs: now - progress.startedAt,
    rate,
    etaMs: rate && left !== null ? Math.round((left / rate) * 1000) : null,
    // Past the copy, the bar is full; during it, never full: the engine may hold more than `df` said.
    share: copying ? (copied === null ? 0 : Math.min(copied, 0.99)) : copied === null ? null : 1,
    downForMs: progress.downMs ?? (progress.downSince ? now - progress.downSince : null),
  };
}
