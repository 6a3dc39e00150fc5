'use client';

import { formatBytes, formatDuration } from '@/components/ui/format';
import { ProgressBar } from '@/components/ui/progress-bar';
import { useJobProgress } from '@/components/ui/job-progress';
import { Downtime } from './downtime';

const phases: Record<string, string> = {
  queued: 'Waiting to start',
  checking: 'Checking',
  stopping: 'Stopping the containers',
  copying: 'Reading volumes (the containers are stopped)',
  starting: 'Starting the containers again',
  encrypting: 'Encrypting the rest (the containers run again)',
};

/** A running backup as the server pushes it (its page's JobProgressProvider): step, volume k of n, bytes, rate, ETA and the live downtime. */
export function BackupProgress() {
  const progress = useJobProgress();

  if (!progress) return <p className="text-sm text-slate-600">Starting…</p>;
  const copying = progress.state === 'copying';
  return (
    <div data-testid="backup-progress" className="space-y-2 text-sm">
      <p className="font-medium" aria-live="polite">
        {phases[progress.state] ?? progress.state}
      </p>
      <ProgressBar share={progress.share} label="Volumes read" />
      <p className="text-slate-600">
        {progress.volume && progress.volumeCount > 0 && (
          <span data-progress="volume">
            Volume {progress.volumeIndex} of {progress.volumeCount}: <span className="font-mono">{progress.volume}</span> ·{' '}
          </span>
        )}
        {formatBytes(progress.bytesRead)} read{progress.bytesTotal ? ` of about ${formatBytes(progress.bytesTotal)}` : ''}
        {copying && progress.rate !== null && <> · {formatBytes(progress.rate)}/s</>}
        {copying && progress.etaMs !== null && <span data-progress="eta"> · about {formatDuration(progress.etaMs)} left</span>} · {formatBytes(progress.encryptedBytes)} encrypted ·{' '}
        {formatDuration(progress.elapsedMs)} in all
      </p>
      <Downtime progress={progress} />
    </div>
  );
}
