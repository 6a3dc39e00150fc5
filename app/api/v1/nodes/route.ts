import { apiRoute } from '@/lib/api/route';
import { discoverCluster } from '@/lib/cluster/discovery';
import { toNodeJson } from '@/lib/api/node-json';

// GET /api/v1/nodes – the cluster's nodes: the swarm's view merged with each engine's own.
export const GET = apiRoute(async () => {
  const overview = await discoverCluster();
  return Response.json({
    nodes: overview.nodes.map(toNodeJson),
    controllers: overview.controllers,
    tolerates: overview.tolerates,
    controllersDown: overview.controllersDown,
    swarmError: overview.swarmError,
  });
});
