import { expect, test } from '@playwright/test';
import { apiJson, backupThroughApi } from './support/api';
import { docker, dockerJsonLines, lab } from './support/lab';

test('the overview lists the controllers first, then the worker, with the HA line', async ({ page }) => {
  await page.goto('/');
  const cards = page.locator('[data-node]');
  await expect(cards).toHaveCount(4);
  expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-node')))).toEqual(['ctrl-1', 'ctrl-2', 'ctrl-3', 'worker-1']);
  await expect(page.getByTestId('ha-line')).toContainText('3 controllers, tolerates 1 down');
  await expect(page.getByText('Stateless: no backup needed.')).toHaveCount(1);
});

test('each controller card sums up its UCP in one line, and names what is not running; the node page lists every container, as the engine reports them', async ({ page }) => {
  const ucp = await dockerJsonLines<{ Names: string; State: string }>('ctrl-2', 'ps', '-a', '--filter', 'name=ucp-');
  // UCP's one-shots (lib/cluster/ucp.ts) exit when done: the line counts the long-running ones.
  const services = ucp.filter((c) => !/^ucp-(reconcile|dsinfo|install|upgrade|uninstall-ucp)/.test(c.Names));
  expect(services.length).toBeGreaterThan(0);
  await page.goto('/');
  const card = page.locator('section', { has: page.locator('[data-node="ctrl-2"]') });
  await expect(card.getByTestId('ucp-line')).toContainText(`UCP: all ${services.length} containers running`);
  await expect(card.getByText('user-web')).toHaveCount(0);

  await docker('ctrl-2', 'stop', 'ucp-proxy');
  try {
    await page.reload();
    await expect(card.getByTestId('ucp-line')).toContainText(`UCP: ${services.length - 1} of ${services.length} containers running; not running: ucp-proxy (exited)`);
  } finally {
    await docker('ctrl-2', 'start', 'ucp-proxy');
  }

  await card.getByRole('link', { name: 'details' }).click();
  await expect(page.getByRole('heading', { name: 'ctrl-2' })).toBeVisible();
  const listed = page.locator('section', { has: page.getByRole('heading', { name: 'UCP containers' }) });
  for (const c of ucp) await expect(listed.getByText(c.Names, { exact: true })).toBeVisible();
});

test("ctrl-1's page lists its volumes, UCP's marked, with sizes that load", async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'ctrl-1' }).click();
  await expect(page.getByRole('heading', { name: 'ctrl-1' })).toBeVisible();
  const expected = (await docker('ctrl-1', 'volume', 'ls', '-q')).split('\n').filter(Boolean).sort();
  const rows = page.locator('tr[data-volume]');
  await expect(rows).toHaveCount(expected.length);
  expect((await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-volume')))).sort()).toEqual(expected);

  const kv = page.locator('tr[data-volume="ucp-kv"]');
  await expect(kv.getByText('UCP', { exact: true })).toBeVisible();
  await expect(kv.locator('[data-size]')).toHaveText(/^\d+(\.\d)? (B|KB|MB|GB)$/);
  await expect(kv.getByText('ucp-kv (running)')).toBeVisible();
  await expect(page.locator('tr[data-volume="user-data"]').getByText('user', { exact: true })).toBeVisible();
});

test('with the swarm leader killed, the overview and GET /api/v1/nodes still give every node, the leader unreachable', async ({ page }) => {
  const leader = (await dockerJsonLines<{ Hostname: string; ManagerStatus: string }>('ctrl-2', 'node', 'ls')).find((n) => n.ManagerStatus === 'Leader')!.Hostname;
  await lab('kill', leader);
  try {
    const cluster = await apiJson<{ nodes: { hostname: string; reachable: boolean }[]; swarmError: string | null }>('/api/v1/nodes');
    expect(cluster.nodes.map((n) => n.hostname).sort()).toEqual(['ctrl-1', 'ctrl-2', 'ctrl-3', 'worker-1']);
    expect(cluster.nodes.filter((n) => !n.reachable).map((n) => n.hostname)).toEqual([leader]);
    // Either a new leader already answers `node ls`, or a surviving manager says why it cannot.
    if (cluster.swarmError) expect(cluster.swarmError).toMatch(/^ctrl-\d: node ls: /);
    if (cluster.swarmError) expect(cluster.swarmError).not.toMatch(new RegExp(`^${leader}:`));
    await page.goto('/');
    await expect(page.locator('[data-node]')).toHaveCount(4);
    const card = page.locator('section', { has: page.locator(`[data-node="${leader}"]`) });
    await expect(card.getByText('unreachable', { exact: true })).toBeVisible();
    await expect(page.getByText('unreachable', { exact: true })).toHaveCount(1);
  } finally {
    await lab('start', leader);
  }
});

test("each controller card shows its backup health: the newest good backup's age, or no good backup, and a way to back up", async ({ page }) => {
  await page.goto('/');
  for (const node of ['ctrl-1', 'ctrl-2', 'ctrl-3']) {
    const health = page.locator('section', { has: page.locator(`[data-node="${node}"]`) }).getByTestId('backup-health');
    await expect(health).toHaveText(/(last good backup .* ago|no good backup)/);
  }
  await expect(page.locator('section', { has: page.locator('[data-node="worker-1"]') }).getByTestId('backup-health')).toHaveCount(0);

  const { id } = await backupThroughApi({ node: 'ctrl-1', passphrase: 'overview passphrase 1', rootCaOnly: true });
  await page.reload();
  const health = page.locator('section', { has: page.locator('[data-node="ctrl-1"]') }).getByTestId('backup-health');
  await expect(health).toHaveAttribute('data-tone', 'good');
  await expect(health).toContainText('last good backup less than a minute ago');
  await expect(health.getByRole('link', { name: 'not verified yet' })).toHaveAttribute('href', `/backups/${id}`);
  await health.getByRole('link', { name: 'Back up' }).click();
  await expect(page).toHaveURL(/\/nodes\/ctrl-1#back-up$/);
  await expect(page.getByRole('form', { name: 'Back up now' })).toBeVisible();
});
