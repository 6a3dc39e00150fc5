import { apiRoute } from '@/lib/api/route';
import { findNode } from '@/lib/cluster/discovery';
import { nodeVolumeSizes, nodeVolumes } from '@/lib/cluster/node-volumes';

// GET /api/v1/nodes/{node}/volumes – a node's volumes with sizes and the containers using them.
export const GET = apiRoute<{ node: string }>(async (_request, { params }) => {
  const node = await findNode(decodeURIComponent(params.node));
  const [volumes, sizes] = await Promise.all([nodeVolumes(node), nodeVolumeSizes(node)]);
  return Response.json({
    node: { id: node.id, hostname: node.hostname },
    volumes: volumes.map((v) => ({ ...v, sizeBytes: sizes[v.name] ?? null })),
  });
});
