import type { Metadata } from 'next';
import Link from 'next/link';
import { RestoreStatusBadge } from '@/components/restore/restore-status';
import { RestoreForm } from '@/components/restore/restore-form';
import { Card, CardTitle } from '@/components/ui/card';
import { formatTime } from '@/components/ui/format';
import { RefreshWhileRunning } from '@/components/ui/refresh-while-running';
import { EmptyState } from '@/components/ui/empty-state';
import { Table } from '@/components/ui/table';
import { isRunning } from '@/lib/jobs/job-states';
import { NotAllowed } from '@/components/auth/not-allowed';
import { can } from '@/lib/auth/permissions';
import { requireUser } from '@/lib/auth/session';
import { discoverCluster } from '@/lib/cluster/discovery';
import { backupLabels, listBackups } from '@/lib/history/backup-history';
import { listRestores } from '@/lib/history/restore-history';
import { applyRestoreAction, verifyRestoreAction } from './actions';

export const metadata: Metadata = { title: 'Restore' };

export default async function RestorePage({ searchParams }: { searchParams: Promise<{ backupId?: string; node?: string }> }) {
  const user = await requireUser();
  if (!can(user, 'restore')) return <NotAllowed user={user} permission="restore" />;
  const { backupId, node } = await searchParams;
  // A backup whose containers needed a hand afterwards still holds a whole archive.
  const [backups, overview, restores] = await Promise.all([listBackups({ restorable: true }), discoverCluster(), listRestores(20)]);
  const labels = await backupLabels(restores.map((r) => r.backupId));
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Restore</h1>
      <Card>
        <CardTitle>Verify, then restore</CardTitle>
        <p className="mb-4 text-sm text-slate-600">
          Verifying reads the whole archive and changes nothing on any node. A restore happens only once the whole archive is authenticated.
        </p>
        <RestoreForm
          backups={backups
            .filter((b) => b.stored)
            .map((b) => ({
              id: b.id,
              label: `${b.fileName}${b.kind === 'pre-restore' ? ' (safety backup)' : ''}`,
              node: b.nodeHostname,
              keyOnly: !b.encryptedTo.passphrase,
              safety: b.kind === 'pre-restore',
            }))}
          nodes={overview.nodes.filter((n) => n.reachable).map((n) => n.hostname)}
          unreachable={overview.nodes.filter((n) => !n.reachable).map((n) => ({ hostname: n.hostname, error: n.engineError ?? 'no answer' }))}
          initialBackupId={backupId}
          initialNode={node}
          verify={verifyRestoreAction}
          apply={applyRestoreAction}
        />
      </Card>
      <RefreshWhileRunning running={restores.some((r) => isRunning(r.status))} everyMs={3000} />
      <Card>
        <CardTitle>Recent restores and verifications</CardTitle>
        {restores.length === 0 ? (
          <EmptyState>No restore or verification yet.</EmptyState>
        ) : (
          <Table columns={[{ label: 'Started' }, { label: 'Kind' }, { label: 'Archive' }, { label: 'Target' }, { label: 'Status' }]}>
            {restores.map((r) => (
              <tr key={r.id} data-restore={r.id} className="border-b border-slate-100">
                <td className="py-1.5 pr-3">
                  <Link href={`/restores/${r.id}`} className="text-sky-800 hover:underline">
                    {formatTime(r.startedAt)}
                  </Link>
                </td>
                <td className="py-1.5 pr-3">{r.dryRun ? 'verification' : 'restore'}</td>
                <td className="py-1.5 pr-3 text-xs">
                  {r.backupId ? (
                    <Link href={`/backups/${r.backupId}`} className="font-mono text-sky-800 hover:underline">
                      {labels.get(r.backupId)?.fileName ?? r.backupId}
                    </Link>
                  ) : (
                    <span className="font-mono">{r.uploadName ?? 'uploaded archive'}</span>
                  )}
                </td>
                <td className="py-1.5 pr-3 font-mono">{r.targetHostname}</td>
                <td className="py-1.5 pr-3">
                  <RestoreStatusBadge status={r.status} />
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </div>
  );
}
