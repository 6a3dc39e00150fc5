import { Suspense } from 'react';
import { BackupHealth, type LastGoodBackup } from '@/components/cluster/backup-health';
import { HaSummary } from '@/components/cluster/ha-summary';
import { JobsNeedingAHand, type JobWarning } from '@/components/cluster/jobs-needing-a-hand';
import { NodeCard } from '@/components/cluster/node-card';
import { EmptyState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { can } from '@/lib/auth/permissions';
import { requireUser } from '@/lib/auth/session';
import { discoverCluster } from '@/lib/cluster/discovery';
import { lastGoodBackups, listBackups, type BackupView } from '@/lib/history/backup-history';
import { nodesNeedingAttention, restoresWithWarning } from '@/lib/history/restore-history';
import { backupAgeThresholds } from '@/lib/webhooks/webhook-store';

export default async function OverviewPage() {
  const user = await requireUser();
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Cluster</h1>
      <Suspense fallback={<OverviewSkeleton />}>
        <Overview canBackUp={can(user, 'backup')} canRestore={can(user, 'restore')} />
      </Suspense>
    </div>
  );
}

async function Overview({ canBackUp, canRestore }: { canBackUp: boolean; canRestore: boolean }) {
  const [overview, attention, good, thresholds, warnedBackups, warnedRestores] = await Promise.all([
    discoverCluster(),
    nodesNeedingAttention(),
    lastGoodBackups(),
    backupAgeThresholds(),
    listBackups({ status: 'warning', take: 10 }),
    restoresWithWarning(),
  ]);
  const warnings: JobWarning[] = [
    ...warnedBackups.map((b) => ({ href: `/backups/${b.id}`, what: 'Backup', node: b.nodeHostname, at: b.startedAt, warning: b.warning ?? 'see the backup' })),
    ...warnedRestores.map((r) => ({ href: `/restores/${r.id}`, what: 'Restore', node: r.targetHostname, at: r.startedAt, warning: r.warning ?? 'see the restore' })),
  ].sort((a, b) => b.at.getTime() - a.at.getTime());
  const now = new Date();
  if (overview.nodes.length === 0) {
    return <EmptyState next="Add one endpoint per node in Settings: a unix socket, or a tcp URL with its client bundle.">No engines yet.</EmptyState>;
  }
  return (
    <>
      <JobsNeedingAHand jobs={warnings} />
      <HaSummary overview={overview} />
      <div className="grid gap-3 md:grid-cols-2">
        {overview.nodes.map((node) => (
          <NodeCard
            key={node.key}
            node={node}
            attention={attention.get(node.hostname)?.attention}
            canRestore={canRestore}
            health={
              node.role === 'manager' ? (
                <BackupHealth hostname={node.hostname} last={lastGoodOf(good.get(node.hostname))} thresholds={thresholds} now={now} canBackUp={canBackUp} />
              ) : null
            }
          />
        ))}
      </div>
    </>
  );
}

function lastGoodOf(backup: BackupView | undefined): LastGoodBackup {
  return backup ? { id: backup.id, startedAt: backup.startedAt, verified: backup.verification?.ok === true } : null;
}

function OverviewSkeleton() {
  return (
    <div className="grid gap-3 md:grid-cols-2">
      {[0, 1, 2, 3].map((i) => (
        <Skeleton key={i} className="h-36" />
      ))}
    </div>
  );
}
