import type { ContainerSummary, SwarmNode } from '@/lib/docker/engine';

export type NodeRole = 'manager' | 'worker' | 'standalone' | 'unknown';

export type UcpContainerState = { name: string; state: string; status: string };

/** Who an engine says it is (`docker info`), or what it last said when info cannot answer now. */
export type EngineIdentity = { hostname: string; nodeId: string | null; role: NodeRole };

/** What one engine said about itself, or why it said nothing. */
export type EngineReport = {
  /** host: the tcp host of the endpoint's URL, null for a unix socket. */
  endpoint: { id: string; name: string; host: string | null };
  /** The engine answered at all (`docker version`). */
  reachable: boolean;
  identity: EngineIdentity | null;
  /** True when identity is the last known one, because `docker info` did not answer now. */
  identityIsStale: boolean;
  engineVersion: string | null;
  containers: ContainerSummary[] | null;
  error: string | null;
};

/** `docker node ls` from a manager, or why no manager could answer (no leader, all down). */
export type SwarmView = { nodes: SwarmNode[]; reportedBy: string } | { nodes: null; error: string };

/** One node of the cluster: the swarm's view merged with its engine's own. */
export type ClusterNode = {
  /** Used in URLs: the swarm node ID when known, else the endpoint name. */
  key: string;
  /** 'swarm': listed by `docker node ls`; 'engine': known only from an engine (no swarm view, or not a member). */
  source: 'swarm' | 'engine';
  id: string | null;
  hostname: string;
  role: NodeRole;
  leader: boolean | null;
  availability: string | null;
  state: string | null;
  reachability: string | null;
  address: string | null;
  engineVersion: string | null;
  endpoint: { id: string; name: string; host: string | null } | null;
  reachable: boolean;
  engineError: string | null;
  ucpContainers: UcpContainerState[] | null;
};

export type ClusterOverview = {
  nodes: ClusterNode[];
  /** Null when the overview was built from the engines alone. */
  swarmError: string | null;
  controllers: number;
  tolerates: number;
  controllersDown: number;
};
