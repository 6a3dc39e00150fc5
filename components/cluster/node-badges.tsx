import { Badge } from '@/components/ui/badge';
import type { ClusterNode } from '@/lib/cluster/types';

export function NodeBadges({ node }: { node: ClusterNode }) {
  return (
    <span className="flex flex-wrap items-center gap-1">
      <Badge tone={node.role === 'manager' ? 'info' : 'neutral'}>{roleLabel(node)}</Badge>
      {node.leader && <Badge tone="info">leader</Badge>}
      {node.state && <Badge tone={node.state === 'ready' ? 'good' : 'bad'}>{node.state}</Badge>}
      {node.availability && node.availability !== 'active' && <Badge tone="warn">{node.availability}</Badge>}
      {node.reachability && node.reachability !== 'reachable' && <Badge tone="bad">manager {node.reachability}</Badge>}
      {!node.reachable && (
        <Badge tone="bad" title={node.engineError ?? undefined}>
          unreachable
        </Badge>
      )}
    </span>
  );
}

function roleLabel(node: Pick<ClusterNode, 'role'>) {
  return { manager: 'controller', worker: 'worker', standalone: 'standalone', unknown: 'role unknown' }[node.role];
}
