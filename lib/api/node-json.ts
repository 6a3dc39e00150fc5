import 'server-only';
import type { ClusterNode } from '@/lib/cluster/types';

/** The public JSON shape of a node in /api/v1. */
/** `attention`: what a failed restore left the node needing (UCP stopped), with the step that recovers it. */
export function toNodeJson(node: ClusterNode, attention: string | null = null) {
  return {
    id: node.id,
    hostname: node.hostname,
    role: node.role,
    leader: node.leader,
    state: node.state,
    availability: node.availability,
    managerReachability: node.reachability,
    reachable: node.reachable,
    error: node.engineError,
    address: node.address,
    engineVersion: node.engineVersion,
    endpoint: node.endpoint?.name ?? null,
    ucpContainers: node.ucpContainers,
    attention,
  };
}
