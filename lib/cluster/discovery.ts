import 'server-only';
import { cache } from 'react';
import { parseEngineUrl } from '@/lib/docker/connection';
import { Engine, type EngineInfo, type SwarmNode } from '@/lib/docker/engine';
import { endpointConnection, endpointConnections, rememberIdentity, type EndpointConnection } from '@/lib/endpoints/endpoint-store';
import { LifeboatError, messageOf } from '@/lib/errors';
import { mergeCluster } from './merge';
import type { ClusterNode, ClusterOverview, EngineIdentity, EngineReport, SwarmView } from './types';

type Probe = { report: EngineReport; freshNodeId: string | null; swarmNodes: SwarmNode[] | null; swarmError: string | null };

function identityOf(info: EngineInfo): EngineIdentity {
  const { swarm } = info;
  const role = swarm.isManager ? 'manager' : swarm.localState === 'active' ? 'worker' : 'standalone';
  return { hostname: info.hostname, nodeId: swarm.nodeId, role };
}

/**
 * Asks one engine everything at once, each call with its own deadline. `docker info` blocks on a
 * manager while the swarm has no leader, but `docker version` and `docker ps` still answer: then the
 * engine counts as reachable and its identity is the last one it gave.
 */
async function probe(connection: EndpointConnection): Promise<Probe> {
  const engine = Engine.connect(connection);
  const [version, info, containers, nodes] = await Promise.allSettled([engine.version(), engine.info(), engine.containers(), engine.swarmNodes()]);
  const value = <T>(r: PromiseSettledResult<T>) => (r.status === 'fulfilled' ? r.value : null);
  const fresh = info.status === 'fulfilled' ? identityOf(info.value) : null;
  if (fresh) await rememberIdentity(connection, fresh);
  const failure = [version, info, containers].find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
  const target = parseEngineUrl(connection.url);
  return {
    report: {
      endpoint: { id: connection.id, name: connection.name, host: target.kind === 'tcp' ? target.host : null },
      reachable: [version, info, containers].some((r) => r.status === 'fulfilled'),
      identity: fresh ?? connection.lastKnown,
      identityIsStale: !fresh,
      engineVersion: value(version) ?? value(info)?.serverVersion ?? null,
      containers: value(containers),
      error: failure ? messageOf(failure.reason) : null,
    },
    freshNodeId: fresh?.nodeId ?? null,
    swarmNodes: value(nodes),
    swarmError: nodes.status === 'rejected' ? messageOf(nodes.reason) : null,
  };
}

/** The leader's node list when it answered, else any manager's, else why none could. */
function pickSwarmView(probes: Probe[]): SwarmView {
  const answered = probes.filter((p) => p.swarmNodes);
  const fromLeader = answered.find((p) => p.swarmNodes!.some((n) => n.leader && n.id === p.freshNodeId));
  const chosen = fromLeader ?? answered[0];
  if (chosen) return { nodes: chosen.swarmNodes!, reportedBy: chosen.report.endpoint.name };
  // A reachable manager's reason (no leader, timed out) says more than a dead engine's "connection refused".
  const managerErrors = probes
    .filter((p) => p.report.identity?.role === 'manager')
    .sort((a, b) => Number(b.report.reachable) - Number(a.report.reachable))
    .map((p) => p.swarmError);
  const reason = managerErrors.find(Boolean) ?? (probes.length ? 'no swarm manager answered' : 'no endpoints are configured');
  return { nodes: null, error: reason };
}

/** The whole cluster as the overview shows it; cached per request. */
export const discoverCluster = cache(async (): Promise<ClusterOverview> => {
  const probes = await Promise.all((await endpointConnections()).map(probe));
  return mergeCluster(
    pickSwarmView(probes),
    probes.map((p) => p.report),
  );
});

/** A node by swarm node ID or hostname. */
export async function findNode(key: string, overview?: ClusterOverview): Promise<ClusterNode> {
  const { nodes } = overview ?? (await discoverCluster());
  const node = nodes.find((n) => n.id === key) ?? nodes.find((n) => n.hostname === key) ?? nodes.find((n) => n.key === key);
  if (!node) throw new LifeboatError('not_found', `no node "${key}" in the cluster`);
  return node;
}

/** The engine behind a node, or a clear error when Lifeboat cannot reach it. */
export async function engineForNode(node: ClusterNode): Promise<Engine> {
  if (!node.endpoint) throw new LifeboatError('engine_unavailable', `${node.hostname}: no endpoint is configured for this node`);
  return Engine.connect(await endpointConnection(node.endpoint.id));
}
