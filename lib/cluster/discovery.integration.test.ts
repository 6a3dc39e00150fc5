import { afterEach, describe, expect, it } from 'vitest';
import { docker, dockerJsonLines, lab } from '@/e2e/support/lab';
import { discoverCluster } from './discovery';
import { nodeVolumeSizes, nodeVolumes } from './node-volumes';

// discoverCluster is wrapped in React's per-request cache, which is a pass-through outside a request.

describe('cluster discovery against the lab', () => {
  it('matches `docker node ls` and each engine, controllers first', async () => {
    const overview = await discoverCluster();
    const cli = await dockerJsonLines<{ ID: string; Hostname: string; ManagerStatus: string }>('ctrl-2', 'node', 'ls');
    expect(overview.nodes.map((n) => n.hostname)).toEqual(['ctrl-1', 'ctrl-2', 'ctrl-3', 'worker-1']);
    for (const node of overview.nodes) {
      const row = cli.find((r) => r.Hostname === node.hostname)!;
      expect(node.id).toBe(row.ID.replace(/\s*\*$/, ''));
      expect(node.leader).toBe(row.ManagerStatus === 'Leader');
      expect(node.reachable).toBe(true);
      expect(node.engineVersion).toBe((await docker(node.hostname, 'version', '--format', '{{.Server.Version}}')).trim());
    }
    expect(overview).toMatchObject({ swarmError: null, controllers: 3, tolerates: 1, controllersDown: 0 });
  });

  it("lists each controller's UCP containers, never a user's", async () => {
    const { nodes } = await discoverCluster();
    for (const node of nodes.filter((n) => n.role === 'manager')) {
      const cli = await dockerJsonLines<{ Names: string; State: string }>(node.hostname, 'ps', '-a');
      const ucp = cli.filter((c) => c.Names.startsWith('ucp-')).map((c) => ({ name: c.Names, state: c.State }));
      expect(node.ucpContainers!.map(({ name, state }) => ({ name, state }))).toEqual(ucp.sort((a, b) => a.name.localeCompare(b.name)));
      expect(node.ucpContainers!.some((c) => c.name === 'user-web')).toBe(false);
    }
  });

  it("lists a node's volumes as `docker volume ls` does, with the sizes `docker system df -v` gives", async () => {
    const { nodes } = await discoverCluster();
    const ctrl1 = nodes.find((n) => n.hostname === 'ctrl-1')!;
    const [volumes, sizes] = await Promise.all([nodeVolumes(ctrl1), nodeVolumeSizes(ctrl1)]);
    const cli = (await docker('ctrl-1', 'volume', 'ls', '-q')).split('\n').filter(Boolean);
    expect(volumes.map((v) => v.name).sort()).toEqual(cli.sort());
    const df = JSON.parse(await docker('ctrl-1', 'system', 'df', '-v', '--format', '{{json .Volumes}}')) as { Name: string; Size: string }[];
    expect(df.length).toBe(cli.length);
    expect(sizes['ucp-kv']).toBeGreaterThan(1024 * 1024);
    expect(volumes.find((v) => v.name === 'ucp-kv')!.usedBy).toEqual([{ name: 'ucp-kv', state: 'running', ucp: true }]);
    expect(volumes.find((v) => v.name === 'user-data')!).toMatchObject({ ucp: false, usedBy: [{ name: 'user-web', state: 'running', ucp: false }] });
  });
});

describe('cluster discovery with engines down', () => {
  const restore: string[] = [];
  afterEach(async () => {
    while (restore.length) {
      const [command, node] = restore.pop()!.split(' ') as ['start' | 'resume', string];
      await lab(command, node);
    }
  });

  it('marks a killed non-leader engine unreachable and completes the others', async () => {
    restore.push('start ctrl-2');
    await lab('kill', 'ctrl-2');
    const overview = await discoverCluster();
    const ctrl2 = overview.nodes.find((n) => n.hostname === 'ctrl-2')!;
    expect(ctrl2.reachable).toBe(false);
    // A pooled keep-alive connection sees a reset, a new one a refusal: both say the engine is gone.
    expect(ctrl2.engineError).toMatch(/^ctrl-2: [a-z ]+: (connection refused|the engine closed the connection)/);
    for (const other of overview.nodes.filter((n) => n.hostname !== 'ctrl-2')) {
      expect(other.reachable).toBe(true);
      expect(other.ucpContainers!.length).toBeGreaterThan(0);
    }
    expect(overview.controllersDown).toBe(1);
  });

  it('marks an engine that accepts connections but never answers as unreachable after its deadline', async () => {
    restore.push('resume ctrl-3');
    await lab('pause', 'ctrl-3');
    const overview = await discoverCluster();
    const ctrl3 = overview.nodes.find((n) => n.hostname === 'ctrl-3')!;
    expect(ctrl3.reachable).toBe(false);
    expect(ctrl3.engineError).toMatch(/did not answer within \d+ ms/);
    expect(overview.nodes.filter((n) => n.reachable).map((n) => n.hostname)).toEqual(['ctrl-1', 'ctrl-2', 'worker-1']);
  });
});
