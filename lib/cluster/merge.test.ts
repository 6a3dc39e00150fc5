import { describe, expect, it } from 'vitest';
import type { ContainerSummary, SwarmNode } from '@/lib/docker/engine';
import { controllerStates, mergeCluster } from './merge';
import type { EngineReport } from './types';

const swarmNode = (id: string, hostname: string, role: 'manager' | 'worker', extra: Partial<SwarmNode> = {}): SwarmNode => ({
  id,
  hostname,
  role,
  availability: 'active',
  state: 'ready',
  address: `10.0.0.${id.length}`,
  engineVersion: '20.10.24',
  leader: false,
  reachability: role === 'manager' ? 'reachable' : null,
  ...extra,
});

const container = (name: string, state = 'running', labels: Record<string, string> = {}): ContainerSummary => ({
  id: name,
  name,
  image: 'busybox',
  imageId: 'sha256:1',
  state,
  status: state,
  labels,
  mounts: [],
});

const report = (name: string, nodeId: string | null, isManager = true, containers: ContainerSummary[] = []): EngineReport => ({
  endpoint: { id: `ep-${name}`, name, host: null },
  reachable: nodeId !== null,
  identity: nodeId ? { hostname: name, nodeId, role: isManager ? 'manager' : 'worker' } : null,
  identityIsStale: false,
  engineVersion: nodeId ? '20.10.24+dfsg1' : null,
  containers: nodeId ? containers : null,
  error: nodeId ? null : `${name}: info: connection refused`,
});

const swarm = {
  reportedBy: 'ctrl-1',
  nodes: [
    swarmNode('w1', 'worker-1', 'worker'),
    swarmNode('c2', 'ctrl-2', 'manager'),
    swarmNode('c1', 'ctrl-1', 'manager', { leader: true }),
    swarmNode('c3', 'ctrl-3', 'manager'),
  ],
};

describe('mergeCluster', () => {
  it('lists controllers first, then workers, each sorted by hostname', () => {
    const overview = mergeCluster(
      swarm,
      ['ctrl-1', 'ctrl-2', 'ctrl-3'].map((h) => report(h, `c${h.at(-1)}`)),
    );
    expect(overview.nodes.map((n) => n.hostname)).toEqual(['ctrl-1', 'ctrl-2', 'ctrl-3', 'worker-1']);
  });

  it('says how many controllers may be down', () => {
    const overview = mergeCluster(swarm, []);
    expect(overview).toMatchObject({ controllers: 3, tolerates: 1 });
  });

  it("keeps only UCP's containers (by UCP's names, not a prefix or labels anyone can set) from an engine's report", () => {
    const containers = [
      container('ucp-kv'),
      container('user-web'),
      container('ucp-impostor', 'running', { 'com.docker.ucp.version': '3.2.6' }),
      container('ucp-reconcile', 'exited'),
    ];
    const overview = mergeCluster(swarm, [report('ctrl-1', 'c1', true, containers)]);
    expect(overview.nodes[0].ucpContainers).toEqual([
      { name: 'ucp-kv', state: 'running', status: 'running' },
      { name: 'ucp-reconcile', state: 'exited', status: 'exited' },
    ]);
  });

  it('counts a controller down, in the HA line as in the guard, when a long-running UCP container is not running; an exited one-shot does not count', () => {
    const healthy = [container('ucp-kv'), container('ucp-controller'), container('ucp-reconcile', 'exited')];
    const broken = [container('ucp-kv', 'exited'), container('ucp-controller')];
    const overview = mergeCluster(swarm, [report('ctrl-1', 'c1', true, healthy), report('ctrl-2', 'c2', true, broken), report('ctrl-3', 'c3', true, broken)]);
    expect(overview.controllersDown).toBe(2);
    expect(controllerStates(overview)).toEqual([
      { hostname: 'ctrl-1', ucpDown: false },
      { hostname: 'ctrl-2', ucpDown: true },
      { hostname: 'ctrl-3', ucpDown: true },
    ]);
  });

  it('marks a node whose engine did not answer as unreachable, matched by endpoint name', () => {
    const overview = mergeCluster(swarm, [report('ctrl-1', 'c1'), report('ctrl-2', null)]);
    const ctrl2 = overview.nodes.find((n) => n.hostname === 'ctrl-2')!;
    expect(ctrl2).toMatchObject({ reachable: false, engineError: 'ctrl-2: info: connection refused', endpoint: { name: 'ctrl-2' } });
    expect(overview.nodes.filter((n) => n.hostname === 'ctrl-2')).toHaveLength(1);
    expect(overview.controllersDown).toBe(1);
  });

  it('matches an unreachable tcp endpoint to its swarm node by address', () => {
    const unreachable = { ...report('engine-b', null), endpoint: { id: 'ep-b', name: 'engine-b', host: '10.0.0.2' } };
    const overview = mergeCluster(swarm, [unreachable]);
    expect(overview.nodes.find((n) => n.id === 'c2')!.endpoint?.name).toBe('engine-b');
    expect(overview.nodes).toHaveLength(4);
  });

  it('lists a node once when two endpoints reach the same engine', () => {
    const overview = mergeCluster(swarm, [report('ctrl-1', 'c1'), report('ctrl-1-tls', 'c1')]);
    expect(overview.nodes).toHaveLength(4);
  });

  it('keeps an engine that answers but whose `docker info` blocks reachable, under its last known identity', () => {
    const blocked: EngineReport = {
      ...report('ctrl-2', 'c2'),
      identityIsStale: true,
      error: 'ctrl-2: info: did not answer within 2000 ms',
    };
    const overview = mergeCluster({ nodes: null, error: 'no leader' }, [blocked]);
    expect(overview.nodes[0]).toMatchObject({ hostname: 'ctrl-2', id: 'c2', role: 'manager', reachable: true });
  });

  it("does not count an engine outside the swarm's list as a controller", () => {
    const stale = { ...report('old-ctrl', null), identity: { hostname: 'ctrl-9', nodeId: 'gone', role: 'manager' as const }, identityIsStale: true };
    const overview = mergeCluster(swarm, [stale]);
    expect(overview.nodes.find((n) => n.hostname === 'ctrl-9')).toMatchObject({ source: 'engine', reachable: false });
    expect(overview).toMatchObject({ controllers: 3, tolerates: 1 });
  });

  it('says when a swarm node has no endpoint', () => {
    const overview = mergeCluster(swarm, []);
    expect(overview.nodes.every((n) => !n.reachable && n.engineError === 'no endpoint is configured for this node')).toBe(true);
  });

  it("renders from each engine's own information when no manager can list the nodes", () => {
    const overview = mergeCluster({ nodes: null, error: 'The swarm does not have a leader.' }, [report('ctrl-2', 'c2'), report('worker-1', 'w1', false), report('ctrl-1', null)]);
    expect(overview.swarmError).toBe('The swarm does not have a leader.');
    expect(overview.nodes.map((n) => [n.hostname, n.role, n.reachable, n.leader])).toEqual([
      ['ctrl-2', 'manager', true, null],
      ['worker-1', 'worker', true, null],
      ['ctrl-1', 'unknown', false, null],
    ]);
  });
});
