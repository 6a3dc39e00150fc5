import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { ContainerStateList } from '@/components/cluster/container-state';
import { NodeBadges } from '@/components/cluster/node-badges';
import { VolumeTable } from '@/components/cluster/volume-table';
import { Card, CardTitle } from '@/components/ui/card';
import { formatBytes } from '@/components/ui/format';
import { Skeleton } from '@/components/ui/skeleton';
import { requireUser } from '@/lib/auth/session';
import { findNode } from '@/lib/cluster/discovery';
import { nodeVolumeSizes, nodeVolumes } from '@/lib/cluster/node-volumes';
import type { ClusterNode } from '@/lib/cluster/types';
import { LifeboatError, messageOf } from '@/lib/errors';

type Props = { params: Promise<{ node: string }> };

export async function generateMetadata({ params }: Props) {
  return { title: decodeURIComponent((await params).node) };
}

export default async function NodePage({ params }: Props) {
  await requireUser();
  const key = decodeURIComponent((await params).node);
  const node = await findNode(key).catch((error) => {
    if (error instanceof LifeboatError && error.code === 'not_found') notFound();
    throw error;
  });
  return (
    <div className="space-y-4">
      <p className="text-sm">
        <Link href="/" className="text-sky-800 hover:underline">
          Cluster
        </Link>{' '}
        / <span className="font-mono">{node.hostname}</span>
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="font-mono text-xl font-semibold">{node.hostname}</h1>
        <NodeBadges node={node} />
      </div>
      {node.role === 'worker' && <p className="text-sm text-slate-600">A worker is stateless: it holds only certificates that can be regenerated, so it needs no backup.</p>}
      {!node.reachable && <p className="text-sm text-red-700">{node.engineError}</p>}
      {node.ucpContainers && (
        <Card>
          <CardTitle>UCP containers</CardTitle>
          <ContainerStateList containers={node.ucpContainers} />
        </Card>
      )}
      {node.reachable && (
        <Card>
          <CardTitle>Volumes</CardTitle>
          <Suspense fallback={<Skeleton className="h-48" />}>
            <Volumes node={node} />
          </Suspense>
        </Card>
      )}
    </div>
  );
}

async function Volumes({ node }: { node: ClusterNode }) {
  const volumes = await nodeVolumes(node).catch((error) => error as Error);
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
