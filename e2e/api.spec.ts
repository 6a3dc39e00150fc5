import { expect, test } from '@playwright/test';
import { docker, dockerJsonLines } from './support/lab';

const bearer = () => ({ Authorization: `Bearer ${process.env.LIFEBOAT_API_TOKEN}` });

test.use({ storageState: { cookies: [], origins: [] } });

type NodeJson = { id: string; hostname: string; role: string; leader: boolean; reachable: boolean; state: string; availability: string };

test('GET /api/v1/nodes matches `docker node ls` on a manager', async ({ request }) => {
  const response = await request.get('/api/v1/nodes', { headers: bearer() });
  expect(response.status()).toBe(200);
  const body: { nodes: NodeJson[]; controllers: number; tolerates: number } = await response.json();
  const cli = await dockerJsonLines<{ ID: string; Hostname: string; ManagerStatus: string; Status: string; Availability: string }>('ctrl-1', 'node', 'ls');
  const fromCli = cli
    .map((n) => ({
      id: n.ID.replace(/\s*\*$/, ''),
      hostname: n.Hostname,
      role: n.ManagerStatus ? 'manager' : 'worker',
      leader: n.ManagerStatus === 'Leader',
      state: n.Status.toLowerCase(),
      availability: n.Availability.toLowerCase(),
    }))
    .sort((a, b) => a.hostname.localeCompare(b.hostname));
  const fromApi = body.nodes
    .map(({ id, hostname, role, leader, state, availability }) => ({ id, hostname, role, leader, state, availability }))
    .sort((a, b) => a.hostname.localeCompare(b.hostname));
  expect(fromApi).toEqual(fromCli);
  expect(body.nodes.every((n) => n.reachable)).toBe(true);
  expect(body).toMatchObject({ controllers: 3, tolerates: 1 });
});

test('GET /api/v1/nodes/{hostname}/volumes matches `docker volume ls` on that engine, with sizes', async ({ request }) => {
  for (const node of ['ctrl-1', 'ctrl-2', 'ctrl-3', 'worker-1']) {
    const response = await request.get(`/api/v1/nodes/${node}/volumes`, { headers: bearer() });
    expect(response.status()).toBe(200);
    const body: { volumes: { name: string; driver: string; sizeBytes: number | null; ucp: boolean }[] } = await response.json();
    const cli = await dockerJsonLines<{ Name: string; Driver: string }>(node, 'volume', 'ls');
    expect(body.volumes.map((v) => [v.name, v.driver]).sort()).toEqual(cli.map((v) => [v.Name, v.Driver]).sort());
    expect(body.volumes.every((v) => typeof v.sizeBytes === 'number')).toBe(true);
    expect(body.volumes.filter((v) => v.ucp).every((v) => v.name.startsWith('ucp-'))).toBe(true);
  }
});

test('a node may be named by its swarm node ID', async ({ request }) => {
  const id = (await docker('ctrl-2', 'info', '--format', '{{.Swarm.NodeID}}')).trim();
  const response = await request.get(`/api/v1/nodes/${id}/volumes`, { headers: bearer() });
  expect(response.status()).toBe(200);
  expect((await response.json()).node).toEqual({ id, hostname: 'ctrl-2' });
});

test('an unknown node is a 404 with a JSON error', async ({ request }) => {
  const response = await request.get('/api/v1/nodes/no-such-node/volumes', { headers: bearer() });
  expect(response.status()).toBe(404);
  expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'no node "no-such-node" in the cluster' } });
});

test('a wrong bearer token is a 401', async ({ request }) => {
  const response = await request.get('/api/v1/nodes', { headers: { Authorization: 'Bearer lbt_not-a-token' } });
  expect(response.status()).toBe(401);
  expect((await response.json()).error.message).toBe('the API token is invalid or was revoked');
});
