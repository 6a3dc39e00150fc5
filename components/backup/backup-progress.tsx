'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { formatBytes, formatDuration } from '@/components/ui/format';

type Progress = { phase: string; volume: string | null; bytesRead: number; bytesTotal: number | null; encryptedBytes: number; elapsedMs: number };

const phases: Record<string, string> = {
  preparing: 'Preparing',
  stopping: 'Stopping UCP containers',
  reading: 'Reading volumes (UCP is stopped)',
  encrypting: 'Encrypting (UCP is running again)',
  done: 'Done',
};

/** Follows a running backup: step, current volume, bytes and rate; refreshes the page when it ends. */
export function BackupProgress({ backupId }: { backupId: string }) {
  const router = useRouter();
  const [progress, setProgress] = useState<Progress | null>(null);

  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      const response = await fetch(`/api/v1/backups/${backupId}`, { cache: 'no-store' }).catch(() => null);
      const body = response?.ok ? await response.json() : null;
      if (stopped) return;
      if (!body || body.status !== 'running') return router.refresh();
      setProgress(body.progress);
      setTimeout(poll, 1000);
    };
    poll();
    return () => {
      stopped = true;
    };
  }, [backupId, router]);

  if (!progress) return <p className="text-sm text-slate-600">Starting…</p>;
  const rate = progress.elapsedMs > 0 ? (progress.bytesRead / progress.elapsedMs) * 1000 : 0;
  const share = progress.bytesTotal ? Math.min(100, Math.round((progress.bytesRead / progress.bytesTotal) * 100)) : null;
  return (
    <div aria-live="polite" data-testid="backup-progress" className="space-y-2 text-sm">
      <p className="font-medium">{phases[progress.phase] ?? progress.phase}</p>
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
