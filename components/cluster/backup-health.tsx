import Link from 'next/link';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { formatAge, formatTime } from '@/components/ui/format';
import type { BackupAgeThresholds } from '@/lib/webhooks/webhook-store';

export type LastGoodBackup = { id: string; startedAt: Date; verified: boolean } | null;

/**
 * A controller's backup health in one line: the age of its newest good backup (amber, then red, past the
 * thresholds set in Settings), or "no good backup" (never backed up, or none that still counts); and the way to back it up now.
 */
export function BackupHealth({
  hostname,
  last,
  thresholds,
  now,
  canBackUp,
}: {
  hostname: string;
  last: LastGoodBackup;
  thresholds: BackupAgeThresholds;
  now: Date;
  canBackUp: boolean;
}) {
  const age = last ? now.getTime() - last.startedAt.getTime() : null;
  const tone: BadgeTone = age === null || age >= thresholds.noGoodBackupHours * 3600_000 ? 'bad' : age >= thresholds.warnAfterHours * 3600_000 ? 'warn' : 'good';
  return (
    <div data-testid="backup-health" data-tone={tone} className="flex flex-wrap items-center gap-2 text-xs">
      {last && age !== null ? (
        <>
          <Badge tone={tone}>last good backup {formatAge(age)} ago</Badge>
          <Link href={`/backups/${last.id}`} title={formatTime(last.startedAt)} className="text-sky-800 hover:underline">
            {last.verified ? 'verified' : 'not verified yet'}
          </Link>
        </>
      ) : (
        <Badge tone="bad">no good backup</Badge>
      )}
      {canBackUp && (
        <Link
          href={`/nodes/${encodeURIComponent(hostname)}#back-up`}
          className="ml-auto rounded-md border border-slate-300 px-2 py-0.5 font-medium text-slate-700 hover:bg-slate-50"
        >
          Back up
        </Link>
      )}
    </div>
  );
}
