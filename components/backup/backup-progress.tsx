'use client';

import { useState } from 'react';
import { formatBytes, formatDuration } from '@/components/ui/format';
import { useJobPolling } from '@/components/ui/use-job-polling';

type Progress = { state: string; volume: string | null; bytesRead: number; bytesTotal: number | null; encryptedBytes: number; elapsedMs: number };

const phases: Record<string, string> = {
  queued: 'Waiting to start',
  checking: 'Checking',
  stopping: 'Stopping UCP containers',
  copying: 'Reading volumes (UCP is stopped)',
  starting: 'Starting UCP containers again',
  encrypting: 'Encrypting (UCP is running again)',
};

/** Follows a running backup: step, current volume, bytes and rate; refreshes the page when it ends. */
export function BackupProgress({ backupId }: { backupId: string }) {
  const [progress, setProgress] = useState<Progress | null>(null);
  useJobPolling<{ running: boolean; progress: Progress | null }>(`/api/v1/backups/${backupId}`, (job) => setProgress(job.progress));

  if (!progress) return <p className="text-sm text-slate-600">Starting…</p>;
  const rate = progress.elapsedMs > 0 ? (progress.bytesRead / progress.elapsedMs) * 1000 : 0;
  const share = progress.bytesTotal ? Math.min(100, Math.round((progress.bytesRead / progress.bytesTotal) * 100)) : null;
  return (
    <div aria-live="polite" data-testid="backup-progress" className="space-y-2 text-sm">
      <p className="font-medium">{phases[progress.state] ?? progress.state}</p>
      {share !== null && (
        <div className="h-2 overflow-hidden rounded bg-slate-200">
          <div className="h-2 bg-sky-600 transition-all" style={{ width: `${share}%` }} />
        </div>
      )}
      <p className="text-slate-600">
        {progress.volume && (
          <>
            <span className="font-mono">{progress.volume}</span> ·{' '}
          </>
        )}
        {formatBytes(progress.bytesRead)} read{progress.bytesTotal ? ` of about ${formatBytes(progress.bytesTotal)}` : ''} · {formatBytes(rate)}/s ·{' '}
        {formatBytes(progress.encryptedBytes)} encrypted · {formatDuration(progress.elapsedMs)}
      </p>
    </div>
  );
}
