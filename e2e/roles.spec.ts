// Roles (admin, operator, viewer) and token scopes, as issue 11 asks: what each may do, what each is shown,
// and a 403 on everything else, at every route and server action.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, request as requests, test, type APIRequestContext, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { backupThroughApi } from './support/api';
import { callAction, serverActions, writesAndDownloads } from './support/app-map';
import { until } from './support/until';

const run = promisify(execFile);
const base = new URL(process.env.LIFEBOAT_BASE_URL!);
const stamp = Date.now().toString(36);

/** Adds a user on the Users page, as the admin; its password typed, or generated and read off the page. */
async function addUser(page: Page, username: string, role: string, password?: string): Promise<string> {
  await page.goto('/users');
  const form = page.getByRole('form', { name: 'Add a user' });
  await form.getByLabel('User name').fill(username);
  await form.getByLabel('Role').selectOption(role);
  if (password) await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Add user' }).click();
  if (password) {
    await expect(form.getByRole('status')).toHaveText(`${username} created with the password you typed.`);
    return password;
  }
  return (await form.getByTestId('new-secret').textContent())!.trim();
}

async function signedIn(browser: Browser, username: string, password: string): Promise<{ context: BrowserContext; page: Page; cookie: string }> {
  const context = await browser.newContext({ baseURL: base.origin, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Cluster' })).toBeVisible();
  const session = (await context.cookies()).find((c) => c.name.endsWith('lifeboat_session'))!;
  return { context, page, cookie: `${session.name}=${session.value}` };
}

/** Requests with no cookie of their own: each names its session or token itself. */
let anonymous: APIRequestContext;
test.beforeAll(async () => {
  anonymous = await requests.newContext({ baseURL: base.origin });
});
test.afterAll(() => anonymous.dispose());

async function apiToken(name: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('bash', ['scripts/node-ts.sh', 'scripts/token.ts', 'create', name, ...args]);
  return stdout.trim().split('\n').pop()!;
}

test('a viewer sees nodes, volumes and history, and no button it cannot use; other pages say it is not allowed', async ({ page, browser }) => {
  const { id: backupId } = await backupThroughApi({ node: 'ctrl-2', passphrase: 'roles passphrase 2026', rootCaOnly: true });
  const password = `viewer-password-${stamp}`;
  await addUser(page, `viewer-${stamp}`, 'viewer', password);
  const viewer = await signedIn(browser, `viewer-${stamp}`, password);
  const nav = viewer.page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link')).toHaveText(['Lifeboat', 'Cluster', 'Backups', 'Policies']);
  await expect(nav).toContainText(`viewer-${stamp} (viewer)`);
  await expect(viewer.page.getByTestId('backup-health').first()).toBeVisible();
  await expect(viewer.page.getByRole('link', { name: 'Back up', exact: true })).toHaveCount(0);

  await viewer.page.goto('/nodes/ctrl-2');
  await expect(viewer.page.getByRole('heading', { name: 'Volumes' })).toBeVisible();
  await expect(viewer.page.getByRole('heading', { name: 'Back up now' })).toHaveCount(0);

  await viewer.page.goto(`/backups/${backupId}`);
  await expect(viewer.page.getByText('ucp-client-root-ca').first()).toBeVisible();
  for (const name of ['Download', 'Delete archive', 'Restore…']) await expect(viewer.page.getByRole('link', { name }).or(viewer.page.getByRole('button', { name }))).toHaveCount(0);
  await expect(viewer.page.getByRole('heading', { name: 'Verify' })).toHaveCount(0);

  await viewer.page.goto('/policies');
  await expect(viewer.page.getByRole('button', { name: 'Run now' })).toHaveCount(0);
  await expect(viewer.page.getByRole('heading', { name: 'New policy' })).toHaveCount(0);

  for (const [path, refusal] of [
    ['/settings', 'A viewer cannot change users, endpoints, settings, keys or policies'],
    ['/users', 'A viewer cannot change users'],
    ['/restore', 'A viewer cannot restore'],
  ]) {
    await viewer.page.goto(path);
    await expect(viewer.page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
    await expect(viewer.page.getByText(refusal)).toBeVisible();
  }
  await viewer.context.close();
});

test('a viewer session and a read token get 403 on every write and every download, at every route and server action', async ({ page, browser }) => {
  const password = `viewer-password-${stamp}-2`;
  await addUser(page, `viewer2-${stamp}`, 'viewer', password);
  const viewer = await signedIn(browser, `viewer2-${stamp}`, password);
  const readToken = await apiToken(`read-${stamp}`, '--scopes', 'read');
  const writes = writesAndDownloads();
  expect(writes.length).toBeGreaterThan(12);
  for (const { method, path } of writes) {
    for (const headers of [{ Cookie: viewer.cookie, Origin: base.origin }, { Authorization: `Bearer ${readToken}` }] as Record<string, string>[]) {
      const response = await anonymous.fetch(path, { method, headers, data: method === 'GET' ? undefined : '{}' });
      expect(response.status(), `${method} ${path} as ${headers.Cookie ? 'viewer' : 'read token'}`).toBe(403);
      expect((await response.json()).error.code).toBe('forbidden');
    }
  }
  expect((await anonymous.get('/api/v1/audit', { headers: { Cookie: viewer.cookie } })).status()).toBe(403);
  // What a viewer and a read token may: read.
  expect((await anonymous.get('/api/v1/nodes', { headers: { Authorization: `Bearer ${readToken}` } })).status()).toBe(200);
  expect((await anonymous.get('/api/v1/backups', { headers: { Cookie: viewer.cookie } })).status()).toBe(200);

  const actions = serverActions().filter((a) => !['login', 'logout'].includes(a.name));
  expect(actions.length).toBeGreaterThan(20);
  for (const action of actions) {
    const answer = await (await anonymous.post(action.page, callAction(action, viewer.cookie, base.origin))).text();
    expect(answer, action.name).toContain('a viewer cannot');
  }
  await viewer.context.close();
});

test('an operator backs up, restores and runs policies, but is refused what only an admin may do', async ({ page, browser }) => {
  const password = await addUser(page, `operator-${stamp}`, 'operator');
  expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
  const operator = await signedIn(browser, `operator-${stamp}`, password);
  await expect(operator.page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText(['Lifeboat', 'Cluster', 'Backups', 'Restore', 'Policies']);
  const adminOnly = new Set<string>([
    'DELETE /api/v1/backups/x1/archive',
    'POST /api/v1/policies',
    'PUT /api/v1/policies/x1',
    'DELETE /api/v1/policies/x1',
    'POST /api/v1/keys',
    'DELETE /api/v1/keys/x1',
  ]);
  for (const { method, path } of writesAndDownloads()) {
    const response = await anonymous.fetch(path, { method, headers: { Cookie: operator.cookie, Origin: base.origin }, data: method === 'GET' ? undefined : '{}' });
    const label = `${method} ${path}`;
    if (adminOnly.has(label)) expect(response.status(), label).toBe(403);
    else expect(response.status(), label).not.toBe(403);
  }
  // Nor through the admin's server actions (making a token, a user, or an admin of itself).
  for (const action of serverActions().filter((a) => /settings|users|policies/.test(a.file) && a.name !== 'runPolicyNowAction')) {
    const answer = await (await anonymous.post(action.page, callAction(action, operator.cookie, base.origin))).text();
    expect(answer, action.name).toContain('an operator cannot change users');
  }
  await operator.page.goto('/settings');
  await expect(operator.page.getByText('An operator cannot change users, endpoints, settings, keys or policies')).toBeVisible();
  await operator.context.close();
});

test('an admin cannot demote or disable the last admin; disabling a user signs it out at once and keeps it out', async ({ page, browser }) => {
  await page.goto('/users');
  const me = page.locator('[data-user="admin"]');
  await me.getByLabel('Role of admin').selectOption('viewer');
  await me.getByRole('button', { name: 'Change role' }).click();
  const roleForm = me.locator('form', { has: page.getByRole('button', { name: 'Change role' }) });
  await expect(roleForm.getByRole('status')).toHaveText('this is the last enabled admin: make another user an admin first');
  await page.reload();
  await expect(page.locator('[data-user="admin"]').getByLabel('Role of admin')).toHaveValue('admin');

  const password = `doomed-password-${stamp}`;
  await addUser(page, `doomed-${stamp}`, 'operator', password);
  const doomed = await signedIn(browser, `doomed-${stamp}`, password);
  const row = page.locator(`[data-user="doomed-${stamp}"]`);
  await row.getByRole('button', { name: 'Disable' }).click();
  await expect(row).toContainText('disabled');
  await doomed.page.reload();
  await expect(doomed.page).toHaveURL(/\/login/);
  await doomed.page.getByLabel('User name').fill(`doomed-${stamp}`);
  await doomed.page.getByLabel('Password').fill(password);
  await doomed.page.getByRole('button', { name: 'Sign in' }).click();
  await expect(doomed.page.getByRole('status')).toHaveText('this account is disabled: ask an admin');

  // A reset password works once the user is enabled again, and the old one no longer does.
  await row.getByRole('button', { name: 'Enable' }).click();
  await expect(row).not.toContainText('disabled');
  await row.getByRole('button', { name: 'Reset password' }).click();
  await page.getByRole('dialog', { name: 'Reset password' }).getByRole('button', { name: 'Reset password' }).click();
  const fresh = (await row.getByTestId('new-secret').textContent())!.trim();
  // The form was reset after the last attempt: the user name is typed again each time.
  await doomed.page.getByLabel('User name').fill(`doomed-${stamp}`);
  await doomed.page.getByLabel('Password').fill(password);
  await doomed.page.getByRole('button', { name: 'Sign in' }).click();
  await expect(doomed.page.getByRole('status')).toHaveText('wrong user name or password');
  await doomed.page.getByLabel('User name').fill(`doomed-${stamp}`);
  await doomed.page.getByLabel('Password').fill(fresh);
  await doomed.page.getByRole('button', { name: 'Sign in' }).click();
  await expect(doomed.page.getByRole('heading', { name: 'Cluster' })).toBeVisible();
  await doomed.context.close();
});

test('tokens carry scopes and an expiry from the Settings page, and are refused once expired', async ({ page }) => {
  await page.goto('/settings');
  const form = page.getByRole('form', { name: 'Create an API token' });
  await form.getByLabel('Token name').fill(`backup-only-${stamp}`);
  await form.getByLabel(/^read/).uncheck();
  await form.getByLabel(/^backup/).check();
  await form.getByLabel('Expires').selectOption('7');
  await form.getByRole('button', { name: 'Create token' }).click();
  const token = (await form.getByTestId('new-secret').textContent())!.trim();
  const row = page.locator(`[data-token="backup-only-${stamp}"]`);
  await expect(row).toContainText('backup');
  await expect(row).toContainText('expires 20');
  const auth = { Authorization: `Bearer ${token}` };
  expect((await anonymous.get('/api/v1/nodes', { headers: auth })).status()).toBe(200);
  const refused = await anonymous.post('/api/v1/keys', { headers: auth, data: { armored: 'x' } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.message).toBe("this token's scopes (backup) do not allow it to change users, endpoints, settings, keys or policies, or delete archives");

  // A backup token may verify an archive (a dry run), but not write it to a node.
  const form2 = new FormData();
  for (const [name, value] of Object.entries({ node: 'worker-1', passphrase: 'any passphrase at all', dryRun: 'false', backupId: 'no-such-backup' })) form2.set(name, value);
  const restore = await anonymous.post('/api/v1/restores', { headers: auth, multipart: form2 });
  expect(restore.status()).toBe(403);
  expect((await restore.json()).error.message).toBe("this token's scopes (backup) do not allow it to restore");

  // A token that expires in about nine seconds: it opens the API, then it does not.
  const shortLived = await apiToken(`short-${stamp}`, '--scopes', 'read', '--expires-in-days', '0.0001');
  expect((await anonymous.get('/api/v1/nodes', { headers: { Authorization: `Bearer ${shortLived}` } })).status()).toBe(200);
  const expired = await until(async () => {
    const response = await anonymous.get('/api/v1/nodes', { headers: { Authorization: `Bearer ${shortLived}` } });
    return response.status() === 401 ? response.json() : null;
  }, 'the token to expire');
  expect(expired.error.message).toMatch(new RegExp(`^the API token "short-${stamp}" expired at 20`));
});
