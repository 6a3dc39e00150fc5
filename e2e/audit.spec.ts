// The audit log: sign-ins, downloads, changes and refusals, each with who, when, from where and how it
// ended; filtered on its page, exported as CSV, read through the API; closed to anyone but an admin.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, request as requests, test } from '@playwright/test';
import { backupThroughApi } from './support/api';

const run = promisify(execFile);
const base = new URL(process.env.LIFEBOAT_BASE_URL!);
const stamp = Date.now().toString(36);

async function token(name: string, scopes: string): Promise<string> {
  const { stdout } = await run('bash', ['scripts/node-ts.sh', 'scripts/token.ts', 'create', name, '--scopes', scopes]);
  return stdout.trim().split('\n').pop()!;
}

test('what people do is in the audit log, filtered on its page, as CSV and through the API', async ({ page, browser }) => {
  // Wrong passwords, from a browser that is not signed in: for the admin, and for a name that is no user's
  // (kept as "user:?": it may be a password typed into the wrong field).
  const stranger = await browser.newContext({ baseURL: base.origin, storageState: { cookies: [], origins: [] } });
  const login = await stranger.newPage();
  await login.goto('/login');
  for (const name of ['admin', `Secret-Typed-Here-${stamp}`]) {
    await login.getByLabel('User name').fill(name);
    await login.getByLabel('Password').fill(`not the password ${stamp}`);
    const answered = login.waitForResponse((r) => r.request().method() === 'POST');
    await login.getByRole('button', { name: 'Sign in' }).click();
    await answered;
    await expect(login.getByRole('button', { name: 'Sign in' })).toBeEnabled();
    await expect(login.getByRole('status')).toHaveText('wrong user name or password');
  }
  await stranger.close();

  // A download and a refusal through the API, and a change on the Settings page.
  const api = await requests.newContext({ baseURL: base.origin });
  const backup = await backupThroughApi({ node: 'ctrl-3', passphrase: 'audit passphrase 2026', rootCaOnly: true });
  const reader = await token(`audit-reader-${stamp}`, 'read');
  const admin = await token(`audit-admin-${stamp}`, 'admin');
  expect((await api.get(`/api/v1/backups/${backup.id}/archive`, { headers: { Authorization: `Bearer ${admin}` } })).status()).toBe(200);
  expect((await api.delete(`/api/v1/backups/${backup.id}/archive`, { headers: { Authorization: `Bearer ${reader}` } })).status()).toBe(403);
  await page.goto('/settings');
  const form = page.getByRole('form', { name: 'Create an API token' });
  await form.getByLabel('Token name').fill(`audited-${stamp}`);
  await form.getByRole('button', { name: 'Create token' }).click();
  await expect(form.getByTestId('new-secret')).toBeVisible();

  await page.goto('/audit?actor=user%3Aadmin&action=login&result=failed');
  const newest = page.locator('[data-audit-action]').first();
  await expect(newest).toContainText('login');
  await expect(newest).toContainText('failed');
  await expect(newest).toContainText('127.0.0.1');
  await expect(newest).toContainText('wrong user name or password');
  await page.goto('/audit?actor=user%3A%3F&action=login');
  await expect(page.locator('[data-audit-action]').first()).toContainText('(no such user)');
  expect(await page.content()).not.toContain(`Secret-Typed-Here-${stamp}`);

  await page.goto('/audit');
  const filters = page.getByRole('form', { name: 'Filter the audit log' });
  await filters.getByLabel('What').fill('token.create');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page.locator('[data-audit-action="token.create"]').filter({ hasText: `audited-${stamp}` })).toContainText('user:admin');

  const json = await (await api.get(`/api/v1/audit?actor=${encodeURIComponent(`token:audit-`)}`, { headers: { Authorization: `Bearer ${admin}` } })).json();
  const seen = json.events.map((e: { actor: string; action: string; result: string }) => `${e.actor} ${e.action} ${e.result}`);
  expect(seen).toContain(`token:audit-admin-${stamp} GET /api/v1/backups/${backup.id}/archive ok`);
  expect(seen).toContain(`token:audit-reader-${stamp} DELETE /api/v1/backups/${backup.id}/archive refused`);

  const csv = await api.get(`/api/v1/audit?format=csv&result=refused&actor=${encodeURIComponent(`token:audit-reader-${stamp}`)}`, {
    headers: { Authorization: `Bearer ${admin}` },
  });
  expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
  expect(csv.headers()['content-disposition']).toBe('attachment; filename="lifeboat-audit.csv"');
  const lines = (await csv.text()).trim().split('\r\n');
  expect(lines[0]).toBe('at,actor,address,action,target,result,detail');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`token:audit-reader-${stamp},127.0.0.1,DELETE /api/v1/backups/${backup.id}/archive,,refused,`);

  // Only an admin reads it.
  expect((await api.get('/api/v1/audit', { headers: { Authorization: `Bearer ${reader}` } })).status()).toBe(403);
  await api.dispose();
});
