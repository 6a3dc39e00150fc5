import { apiRoute } from '@/lib/api/route';
import { discoverCluster } from '@/lib/cluster/discovery';
import { toNodeJson } from '@/lib/api/node-json';
import { nodesNeedingAttention } from '@/lib/history/restore-history';

// GET /api/v1/nodes – the cluster's nodes: the swarm's view merged with each engine's own.
export const GET = apiRoute('read', async () => {
  const [overview, attention] = await Promise.all([discoverCluster(), nodesNeedingAttention()]);
  return Response.json({
    nodes: overview.nodes.map((node) => toNodeJson(node, attention.get(node.hostname)?.attention ?? null)),
    controllers: overview.controllers,
    tolerates: overview.tolerates,
    controllersDown: overview.controllersDown,
    swarmError: overview.swarmError,
  });
});
