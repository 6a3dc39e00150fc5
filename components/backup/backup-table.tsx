import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { formatBytes, formatDuration, formatTime } from '@/components/ui/format';
import { Table } from '@/components/ui/table';
import type { BackupView } from '@/lib/history/backup-history';
import { BackupStatus } from './backup-status';

const columns = [
  { label: 'Started' },
  { label: 'Node' },
  { label: 'Volumes' },
  { label: 'Status' },
  { label: 'Verified' },
  { label: 'Size', align: 'right' as const },
  { label: 'Took', align: 'right' as const },
  { label: 'UCP down', align: 'right' as const },
];

export function BackupTable({ backups, empty = 'No backups yet.' }: { backups: BackupView[]; empty?: string }) {
  if (backups.length === 0) return <EmptyState>{empty}</EmptyState>;
  return (
    <Table columns={columns}>
      {backups.map((b) => (
        <tr key={b.id} data-backup={b.id} className="border-b border-slate-100">
          <td className="py-1.5 pr-3">
            <Link href={`/backups/${b.id}`} className="text-sky-800 hover:underline">
              {formatTime(b.startedAt)}
            </Link>
          </td>
          <td className="py-1.5 pr-3">
            <span className="font-mono">{b.nodeHostname}</span>
            {b.kind === 'pre-restore' && (
              <span className="ml-2">
                <Badge title="the volumes as a restore found them, kept to undo it">safety copy</Badge>
              </span>
            )}
            {b.policy && (
              <span className="ml-2" data-policy={b.policy.name}>
                <Badge title={`made by the policy "${b.policy.name}"`}>{b.policy.name}</Badge>
              </span>
            )}
          </td>
          <td className="py-1.5 pr-3 text-xs">{b.scope === 'root-ca' ? 'root CA only' : b.scope === 'ucp' ? `all UCP (${b.volumes.length})` : b.volumes.join(', ')}</td>
          <td className="py-1.5 pr-3">
            <BackupStatus status={b.status} />
            {b.status === 'skipped' && b.error && <span className="ml-1 text-xs text-slate-600">{b.error}</span>}
            {b.status === 'warning' && b.warning && <span className="ml-1 text-xs text-amber-800">{b.warning}</span>}
            {b.fileDeletedAt && <span className="ml-1 text-xs text-slate-500">{b.pruned ? `pruned by ${b.pruned.by}` : 'archive deleted'}</span>}
          </td>
          <td className="py-1.5 pr-3" data-verified={b.verification ? String(b.verification.ok) : 'never'}>
            {b.verification ? (
              <Badge tone={b.verification.ok ? 'good' : 'bad'} title={`${b.verification.message ?? ''} (${formatTime(b.verification.at)})`}>
                {b.verification.ok ? 'verified' : 'does not restore'}
              </Badge>
            ) : (
              <span className="text-xs text-slate-500">—</span>
            )}
          </td>
          <td className="py-1.5 pr-3 text-right tabular-nums">{formatBytes(b.encryptedBytes)}</td>
          <td className="py-1.5 pr-3 text-right tabular-nums">{b.finishedAt ? formatDuration(b.finishedAt.getTime() - b.startedAt.getTime()) : '—'}</td>
          <td className="py-1.5 text-right tabular-nums">{formatDuration(b.downtimeMs)}</td>
        </tr>
      ))}
    </Table>
  );
}
