import { apiRoute } from '@/lib/api/route';
import { findNode } from '@/lib/cluster/discovery';
import { nodeVolumeSizes, nodeVolumes } from '@/lib/cluster/node-volumes';
import { LifeboatError } from '@/lib/errors';
import { decodeSegment } from '@/lib/validations/path-segment';

// GET /api/v1/nodes/{node}/volumes – a node's volumes with sizes and the containers using them.
export const GET = apiRoute<{ node: string }>('read', async (_request, { params }) => {
  const key = decodeSegment(params.node);
  if (key === null) throw new LifeboatError('not_found', 'no such node');
  const node = await findNode(key);
  const [volumes, sizes] = await Promise.all([nodeVolumes(node), nodeVolumeSizes(node)]);
  return Response.json({
    node: { id: node.id, hostname: node.hostname },
    volumes: volumes.map((v) => ({ ...v, sizeBytes: sizes[v.name] ?? null })),
  });
});
