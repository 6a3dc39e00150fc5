import type { Metadata } from 'next';
import Link from 'next/link';
import { RestoreStatusBadge } from '@/components/restore/restore-status';
import { RestoreForm } from '@/components/restore/restore-form';
import { Card, CardTitle } from '@/components/ui/card';
import { formatTime } from '@/components/ui/format';
import { Table } from '@/components/ui/table';
import { NotAllowed } from '@/components/auth/not-allowed';
import { can } from '@/lib/auth/permissions';
import { requireUser } from '@/lib/auth/session';
import { discoverCluster } from '@/lib/cluster/discovery';
import { listBackups } from '@/lib/history/backup-history';
import { listRestores } from '@/lib/history/restore-history';
import { applyRestoreAction, verifyRestoreAction } from './actions';

export const metadata: Metadata = { title: 'Restore' };

export default async function RestorePage({ searchParams }: { searchParams: Promise<{ backupId?: string; node?: string }> }) {
  const user = await requireUser();
  if (!can(user, 'restore')) return <NotAllowed user={user} permission="restore" />;
  const { backupId, node } = await searchParams;
  const [backups, overview, restores] = await Promise.all([listBackups({ status: 'succeeded' }), discoverCluster(), listRestores(20)]);
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
            .map((b) => ({ id: b.id, label: `${b.fileName}${b.kind === 'pre-restore' ? ' (safety backup)' : ''}`, node: b.nodeHostname, keyOnly: !b.encryptedTo.passphrase }))}
          nodes={overview.nodes.filter((n) => n.reachable).map((n) => n.hostname)}
          initialBackupId={backupId}
          initialNode={node}
          verify={verifyRestoreAction}
          apply={applyRestoreAction}
        />
      </Card>
      <Card>
        <CardTitle>Recent restores and verifications</CardTitle>
        {restores.length === 0 ? (
          <p className="text-sm text-slate-500">None yet.</p>
        ) : (
          <Table columns={[{ label: 'Started' }, { label: 'Kind' }, { label: 'Target' }, { label: 'Status' }]}>
            {restores.map((r) => (
              <tr key={r.id} data-restore={r.id} className="border-b border-slate-100">
                <td className="py-1.5 pr-3">
                  <Link href={`/restores/${r.id}`} className="text-sky-800 hover:underline">
                    {formatTime(r.startedAt)}
                  </Link>
                </td>
                <td className="py-1.5 pr-3">{r.dryRun ? 'verification' : 'restore'}</td>
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
