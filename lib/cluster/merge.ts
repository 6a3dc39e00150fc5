import type { SwarmNode } from '@/lib/docker/engine';
import type { ClusterNode, ClusterOverview, EngineReport, NodeRole, SwarmView } from './types';
import { faultTolerance, isUcpContainer, isUcpService } from './ucp';

/** Merges the swarm's node list with each engine's report. Pure: the tests feed it by hand. */
export function mergeCluster(swarm: SwarmView, reports: EngineReport[]): ClusterOverview {
  const unmatched = new Set(reports);
  const nodes: ClusterNode[] = [];

  for (const swarmNode of swarm.nodes ?? []) {
    const report =
      reports.find((r) => r.identity?.nodeId === swarmNode.id) ??
      reports.find((r) => r.identity == null && (r.endpoint.name === swarmNode.hostname || (r.endpoint.host !== null && r.endpoint.host === swarmNode.address)));
    if (report) unmatched.delete(report);
    nodes.push(fromSwarm(swarmNode, report));
  }
  for (const report of unmatched) {
    // A second endpoint for an engine already listed (say, its socket and its TLS port) adds no node.
    if (report.identity?.nodeId && nodes.some((n) => n.id === report.identity!.nodeId)) continue;
    nodes.push(fromEngineOnly(report));
  }

  nodes.sort(byControllersFirst);
  const controllers = nodes.filter((n) => countsAsController(n, swarm.nodes !== null));
  return {
    nodes,
    swarmError: swarm.nodes ? null : swarm.error,
    controllers: controllers.length,
    tolerates: faultTolerance(controllers.length),
    controllersDown: controllers.filter(ucpIsDown).length,
  };
}

/**
 * The controllers the HA line and the quorum guard count. With the swarm's own list only its managers
 * count, so a stale endpoint cannot add a phantom controller; without it, every engine that says manager.
 */
function countsAsController(node: ClusterNode, haveSwarmView: boolean) {
  return node.role === 'manager' && (!haveSwarmView || node.source === 'swarm');
}

/**
 * UCP is down on a controller when the swarm says the node is down or unreachable, its engine does not
 * answer, or one of UCP's long-running containers there is not running (a one-shot that exited says
 * nothing). A node without an endpoint is judged by the swarm alone. The HA line and the quorum guard
 * both count this.
 */
function ucpIsDown(node: ClusterNode) {
  return isDown(node) || (node.ucpContainers ?? []).some((c) => isUcpService(c) && c.state !== 'running');
}

/** What the quorum guard counts: every controller and whether its UCP is down now. */
export function controllerStates(cluster: ClusterOverview) {
  const haveSwarmView = cluster.swarmError === null;
  return cluster.nodes.filter((n) => countsAsController(n, haveSwarmView)).map((n) => ({ hostname: n.hostname, ucpDown: ucpIsDown(n) }));
}

/** Down as far as anyone can tell: the swarm says so, or its engine does not answer. No endpoint means unknown. */
function isDown(node: ClusterNode) {
  return (node.state !== null && node.state !== 'ready') || node.reachability === 'unreachable' || (node.endpoint !== null && !node.reachable);
}

function fromSwarm(node: SwarmNode, report: EngineReport | undefined): ClusterNode {
  return {
    key: node.id,
    source: 'swarm',
    id: node.id,
    hostname: node.hostname,
    role: node.role,
    leader: node.leader,
    availability: node.availability,
    state: node.state,
    reachability: node.reachability,
    address: node.address,
    engineVersion: report?.engineVersion ?? node.engineVersion,
    ...engineSide(report),
  };
}

function fromEngineOnly(report: EngineReport): ClusterNode {
  const identity = report.identity;
  return {
    key: identity?.nodeId ?? report.endpoint.name,
    source: 'engine',
    id: identity?.nodeId ?? null,
    hostname: identity?.hostname ?? report.endpoint.name,
    role: identity?.role ?? 'unknown',
    leader: null,
    availability: null,
    state: null,
    reachability: null,
    address: report.endpoint.host,
    engineVersion: report.engineVersion,
    ...engineSide(report),
  };
}

function engineSide(report: EngineReport | undefined) {
  if (!report) {
    return { endpoint: null, reachable: false, engineError: 'no endpoint is configured for this node', ucpContainers: null };
  }
  return {
    endpoint: report.endpoint,
    reachable: report.reachable,
    engineError: report.error,
    ucpContainers:
      report.containers
        ?.filter(isUcpContainer)
        .map((c) => ({ name: c.name, state: c.state, status: c.status }))
        .sort((a, b) => a.name.localeCompare(b.name)) ?? null,
  };
}

const roleOrder: Record<NodeRole, number> = { manager: 0, worker: 1, standalone: 2, unknown: 3 };

function byControllersFirst(a: ClusterNode, b: ClusterNode) {
  return roleOrder[a.role] - roleOrder[b.role] || a.hostname.localeCompare(b.hostname);
}
