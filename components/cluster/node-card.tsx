import Link from 'next/link';
import type { ReactNode } from 'react';
import { Card } from '@/components/ui/card';
import type { ClusterNode } from '@/lib/cluster/types';
import { ContainerStateLine } from './container-state';
import { NeedsAttention } from './needs-attention';
import { NodeBadges } from './node-badges';

/** `health`: a controller's backup health (workers need no backup). */
export function NodeCard({ node, attention, health, canRestore }: { node: ClusterNode; attention?: string; health?: ReactNode; canRestore: boolean }) {
  return (
    <Card className="space-y-2">
      <div data-node={node.hostname} className="flex flex-wrap items-center justify-between gap-2">
        <Link href={`/nodes/${encodeURIComponent(node.hostname)}`} className="font-mono text-base font-semibold text-sky-800 hover:underline">
          {node.hostname}
        </Link>
        <NodeBadges node={node} />
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-xs text-slate-600">
        <dt>Address</dt>
        <dd className="font-mono">{node.address ?? '—'}</dd>
        <dt>Engine</dt>
        <dd>{node.engineVersion ? `Docker ${node.engineVersion}` : '—'}</dd>
        <dt>Endpoint</dt>
        <dd>{node.endpoint?.name ?? 'none configured'}</dd>
      </dl>
      {health}
      {attention && <NeedsAttention hostname={node.hostname} attention={attention} canRestore={canRestore} compact />}
      {!node.reachable && node.engineError && <p className="text-xs text-red-700">{node.engineError}</p>}
      {node.role === 'worker' && <p className="text-xs text-slate-500">Stateless: no backup needed.</p>}
      {node.ucpContainers && <ContainerStateLine containers={node.ucpContainers} href={`/nodes/${encodeURIComponent(node.hostname)}`} />}
    </Card>
  );
}
