import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { BackupForm } from '@/components/backup/backup-form';
import { BackupTable } from '@/components/backup/backup-table';
import { ContainerStateList } from '@/components/cluster/container-state';
import { NeedsAttention } from '@/components/cluster/needs-attention';
import { NodeBadges } from '@/components/cluster/node-badges';
import { VolumeTable } from '@/components/cluster/volume-table';
import { Card, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { formatBytes, formatDuration } from '@/components/ui/format';
import { TrendChart, type TrendPoint } from '@/components/charts/trend-chart';
import { Skeleton } from '@/components/ui/skeleton';
import { grantsOf } from '@/lib/auth/permissions';
import { requireUser } from '@/lib/auth/session';
import { discoverCluster, findNode } from '@/lib/cluster/discovery';
import { nodeVolumeSizes, nodeVolumes, type NodeVolume } from '@/lib/cluster/node-volumes';
import { listBackups, nodeTrend } from '@/lib/history/backup-history';
import { listPublicKeys } from '@/lib/keys/public-keys';
import { nodesNeedingAttention } from '@/lib/history/restore-history';
import type { ClusterNode } from '@/lib/cluster/types';
import { LifeboatError, messageOf } from '@/lib/errors';
import { decodeSegment } from '@/lib/validations/path-segment';
import { previewBackupAction, startBackupAction } from './actions';

type Props = { params: Promise<{ node: string }> };

export async function generateMetadata({ params }: Props) {
  return { title: decodeSegment((await params).node) ?? 'Not found' };
}

export default async function NodePage({ params }: Props) {
  const may = grantsOf(await requireUser());
  const key = decodeSegment((await params).node);
  if (key === null) notFound();
  const node = await findNode(key).catch((error) => {
    if (error instanceof LifeboatError && error.code === 'not_found') notFound();
    throw error;
  });
  const attention = (await nodesNeedingAttention()).get(node.hostname)?.attention;
  const volumes: VolumesResult = node.reachable ? nodeVolumes(node).catch((error) => error as Error) : Promise.resolve([]);
  return (
    <div className="space-y-4">
      <PageHeader parent={{ href: '/', label: 'Cluster' }} title={node.hostname}>
        <NodeBadges node={node} />
      </PageHeader>
      {attention && <NeedsAttention hostname={node.hostname} attention={attention} canRestore={may.restore} />}
      {node.role === 'worker' && <p className="text-sm text-slate-600">A worker is stateless: it holds only certificates that can be regenerated, so it needs no backup.</p>}
      {!node.reachable && <p className="text-sm text-red-700">{node.engineError}</p>}
      {node.ucpContainers && (
        <Card>
          <CardTitle>UCP containers</CardTitle>
          <ContainerStateList containers={node.ucpContainers} />
        </Card>
      )}
      {node.reachable && (
        <>
          {may.backup && (
            <Card id="back-up">
              <CardTitle>Back up now</CardTitle>
              <Suspense fallback={<Skeleton className="h-40" />}>
                <BackupSection node={node} volumes={volumes} />
              </Suspense>
            </Card>
          )}
          <Card>
            <CardTitle>Volumes</CardTitle>
            <Suspense fallback={<Skeleton className="h-48" />}>
              <Volumes node={node} volumes={volumes} />
            </Suspense>
          </Card>
        </>
      )}
      <Card>
        <CardTitle
          aside={
            <Link href={`/backups?node=${encodeURIComponent(node.hostname)}`} className="text-sm text-sky-800 hover:underline">
              All of {node.hostname}&apos;s backups
            </Link>
          }
        >
          Recent backups
        </CardTitle>
        <RecentBackups node={node.hostname} />
      </Card>
    </div>
  );
}

type VolumesResult = Promise<NodeVolume[] | Error>;

async function BackupSection({ node, volumes }: { node: ClusterNode; volumes: VolumesResult }) {
  const [list, overview, keys] = await Promise.all([volumes, discoverCluster(), listPublicKeys()]);
  if (list instanceof Error) return <p className="text-sm text-red-700">{messageOf(list)}</p>;
  return (
    <BackupForm
      action={startBackupAction}
      preview={previewBackupAction}
      node={node.hostname}
      volumes={list.map(({ name, ucp, usedBy }) => ({ name, ucp, usedBy }))}
      isController={node.role === 'manager'}
      controllers={overview.controllers}
      lostQuorum={overview.controllers > 0 && (overview.controllers - overview.controllersDown) * 2 <= overview.controllers}
      keys={keys.map((k) => ({ fingerprint: k.fingerprint, userId: k.userIds[0] ?? '' }))}
    />
  );
}

async function Volumes({ node, volumes: pending }: { node: ClusterNode; volumes: VolumesResult }) {
  const volumes = await pending;
  if (volumes instanceof Error) return <p className="text-sm text-red-700">{messageOf(volumes)}</p>;
  const sizes = nodeVolumeSizes(node).catch((error) => error as Error);
  return (
    <VolumeTable
      volumes={volumes}
      sizeOf={(name) => (
        <Suspense fallback={<Skeleton className="ml-auto h-4 w-16" />}>
          <VolumeSize sizes={sizes} name={name} />
        </Suspense>
      )}
    />
  );
}

async function VolumeSize({ sizes, name }: { sizes: Promise<Record<string, number | null> | Error>; name: string }) {
  const result = await sizes;
  if (result instanceof Error) return <span title={messageOf(result)}>?</span>;
  const bytes = result[name];
  return <span title={bytes == null ? undefined : `${bytes} bytes`}>{formatBytes(bytes)}</span>;
}

async function RecentBackups({ node }: { node: string }) {
  const [backups, trend] = await Promise.all([listBackups({ node, take: 5 }), nodeTrend(node)]);
  return (
    <>
      {trend.length > 1 && (
        <div className="mb-4 grid gap-4 sm:grid-cols-3" data-testid="node-charts">
          <TrendChart title="Archive size" points={pointsOf(trend, 'bytes')} format={formatBytes} />
          <TrendChart title="Time taken" points={pointsOf(trend, 'tookMs')} format={formatDuration} />
          <TrendChart title="Downtime" points={pointsOf(trend, 'downtimeMs')} format={formatDuration} />
        </div>
      )}
      <BackupTable backups={backups} />
    </>
  );
}

function pointsOf(trend: Awaited<ReturnType<typeof nodeTrend>>, field: 'bytes' | 'tookMs' | 'downtimeMs'): TrendPoint[] {
  return trend.flatMap((t) => (t[field] === null ? [] : [{ at: t.at, value: t[field]!, label: t.label }]));
}
