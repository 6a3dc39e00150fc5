import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { strToU8, zipSync } from 'fflate';
import { labNode, labStatus } from './support/lab';

test('a token created on the Settings page opens the API until it is revoked', async ({ page, playwright }) => {
  await page.goto('/settings');
  await page.getByLabel('Token name').fill('e2e-settings');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-secret').textContent())!;
  expect(token).toMatch(/^lbt_/);

  const api = await playwright.request.newContext({ baseURL: process.env.LIFEBOAT_BASE_URL });
  const call = () => api.get('/api/v1/nodes', { headers: { Authorization: `Bearer ${token}` } });
  expect((await call()).status()).toBe(200);

  await page.reload();
  await expect(page.getByTestId('new-secret')).toHaveCount(0);
  await page.locator('[data-token="e2e-settings"]').getByRole('button', { name: 'Revoke' }).click();
  await expect(page.locator('[data-token="e2e-settings"]')).toHaveCount(0);
  expect((await call()).status()).toBe(401);
  await api.dispose();
});

const endpointForm = (page: Page) => page.getByRole('form', { name: 'Add an endpoint' });

function bundleZip(tls: { ca: string; cert: string; key: string }, host: string) {
  const file = test.info().outputPath('bundle.zip');
  const read = (p: string) => strToU8(fs.readFileSync(p, 'utf8'));
  fs.writeFileSync(
    file,
    zipSync({
      'ucp-bundle-admin/ca.pem': read(tls.ca),
      'ucp-bundle-admin/cert.pem': read(tls.cert),
      'ucp-bundle-admin/key.pem': read(tls.key),
      'ucp-bundle-admin/env.sh': strToU8(`export DOCKER_TLS_VERIFY=1\nexport DOCKER_HOST=${host}\n`),
    }),
  );
  return file;
}

test('an endpoint added from a client bundle connects over mutual TLS, and can be removed, said in a toast', async ({ page }) => {
  const ctrl3 = labNode('ctrl-3');
  const name = `bundle-${Date.now()}`;
  await page.goto('/settings');
  await endpointForm(page).getByLabel('Name').fill(name);
  await endpointForm(page).getByLabel('Client bundle').setInputFiles(bundleZip(ctrl3.tls, ctrl3.tcpUrl));
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Added' })).toContainText(`Added ${name}: ctrl-3, Docker`);

  const row = page.locator(`[data-endpoint="${name}"]`);
  await expect(row).toContainText(ctrl3.tcpUrl);
  await expect(row).toContainText('mutual TLS');
  await row.getByRole('button', { name: 'Test' }).click();
  await expect(row.getByRole('status').filter({ hasText: name })).toContainText(`${name}: ctrl-3, Docker`);

  await row.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('dialog', { name: 'Remove' }).getByRole('button', { name: 'Remove' }).click();
  await expect(row).toHaveCount(0);
  // The row and its button are gone: the result is a toast.
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Endpoint removed.');
});

test('a bundle whose certificate the engine does not trust is stored but reported as refused', async ({ page }) => {
  const ctrl3 = labNode('ctrl-3');
  await page.goto('/settings');
  const name = `rogue-${Date.now()}`;
  await endpointForm(page).getByLabel('Name').fill(name);
  await endpointForm(page)
    .getByLabel('Client bundle')
    .setInputFiles(bundleZip({ ...labStatus().rogueTls, ca: ctrl3.tls.ca }, ctrl3.tcpUrl));
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Added' })).toContainText("refused Lifeboat's client certificate");
  await page.locator(`[data-endpoint="${name}"]`).getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('dialog', { name: 'Remove' }).getByRole('button', { name: 'Remove' }).click();
  await expect(page.locator(`[data-endpoint="${name}"]`)).toHaveCount(0);
});

test('an endpoint is edited in place: refused by the engine its badge is red, with a new bundle it is saved, tested and green', async ({ page }) => {
  const ctrl3 = labNode('ctrl-3');
  const name = `edit-${Date.now()}`;
  await page.goto('/settings');
  await endpointForm(page).getByLabel('Name').fill(name);
  await endpointForm(page)
    .getByLabel('Client bundle')
    .setInputFiles(bundleZip({ ...labStatus().rogueTls, ca: ctrl3.tls.ca }, ctrl3.tcpUrl));
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  const row = page.locator(`[data-endpoint="${name}"]`);
  await expect(row.locator('[data-last-test]')).toHaveAttribute('data-last-test', 'failed');
  await expect(row.locator('[data-last-test]')).toContainText('failed');

  await row.getByText(`Edit ${name}`).click();
  const edit = page.getByRole('form', { name: `Edit ${name}` });
  await expect(edit.getByLabel('Engine URL')).toHaveValue(ctrl3.tcpUrl);
  await edit.getByLabel('Client bundle').setInputFiles(bundleZip(ctrl3.tls, ctrl3.tcpUrl));
  await edit.getByRole('button', { name: 'Save endpoint' }).click();
  await expect(edit.getByRole('status')).toContainText(`Saved ${name}: ctrl-3, Docker`);
  await expect(row.locator('[data-last-test]')).toHaveAttribute('data-last-test', 'ok');
  await expect(row.locator('[data-last-test]')).toContainText('answered');

  // Its test says its name once, and the badge stays green.
  await row.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(row.getByRole('status').filter({ hasText: new RegExp(`^${name}: ctrl-3, Docker`) })).toHaveCount(1);
  await expect(row.locator('[data-last-test]')).toHaveAttribute('data-last-test', 'ok');
  await row.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('dialog', { name: 'Remove' }).getByRole('button', { name: 'Remove' }).click();
  await expect(row).toHaveCount(0);
});

test('an endpoint form with a broken PEM file changes nothing and says which file', async ({ page }) => {
  await page.goto('/settings');
  const before = await page.locator('[data-endpoint]').count();
  await endpointForm(page).getByLabel('Name').fill('broken');
  await endpointForm(page).getByLabel('Engine URL').fill('tcp://10.77.0.11:2376');
  await endpointForm(page).getByLabel('PEM files or none').check();
  const junk = test.info().outputPath('junk.pem');
  fs.writeFileSync(junk, 'not a certificate');
  await endpointForm(page).getByLabel('ca.pem').setInputFiles(junk);
  await endpointForm(page).getByLabel('cert.pem').setInputFiles(junk);
  await endpointForm(page).getByLabel('key.pem').setInputFiles(junk);
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(page.getByText('ca.pem is not PEM text (it should start with -----BEGIN …)').first()).toBeVisible();
  await page.reload();
  await expect(page.locator('[data-endpoint]')).toHaveCount(before);
});

test('a webhook added on the Settings page shows its secret once, the alerting threshold is checked, and the webhook can be removed', async ({ page }) => {
  const url = `http://127.0.0.1:9/e2e-${Date.now()}`;
  await page.goto('/settings');
  const form = page.getByRole('form', { name: 'Add a webhook' });
  await form.getByLabel('Webhook URL').fill('ftp://example.org/x');
  await form.getByRole('button', { name: 'Add webhook' }).click();
  await expect(form.getByText('must be an http:// or https:// URL').first()).toBeVisible();
  await form.getByLabel('Webhook URL').fill(url);
  await form.getByRole('button', { name: 'Add webhook' }).click();
  await expect(form.getByTestId('new-secret')).toHaveText(/^whsec_[\w-]{43}$/);
  const row = page.locator(`[data-webhook="${url}"]`);
  await expect(row).toContainText('No deliveries yet.');

  const alerting = page.getByRole('form', { name: 'Alerting' });
  const red = alerting.getByLabel('Red and reported after (hours)');
  await red.fill('0');
  await alerting.getByRole('button', { name: 'Save' }).click();
  // The browser's own check (min 1) keeps the form from being sent.
  expect(await red.evaluate((input: HTMLInputElement) => input.validity.rangeUnderflow)).toBe(true);
  await expect(alerting.getByRole('status')).toBeEmpty();
  await alerting.getByLabel('Amber after (hours)').fill('50');
  await red.fill('36');
  await alerting.getByRole('button', { name: 'Save' }).click();
  await expect(alerting.getByText('must not be more than the red threshold').first()).toBeVisible();
  await alerting.getByLabel('Amber after (hours)').fill('24');
  await alerting.getByLabel('Red and reported after (hours)').fill('36');
  await alerting.getByRole('button', { name: 'Save' }).click();
  await expect(alerting.getByRole('status')).toHaveText('Amber after 24 h without a good backup; red, and reported, after 36 h.');
  await page.reload();
  await expect(page.getByRole('form', { name: 'Alerting' }).getByLabel('Red and reported after (hours)')).toHaveValue('36');
  await alerting.getByLabel('Red and reported after (hours)').fill('48');
  await alerting.getByRole('button', { name: 'Save' }).click();
  await expect(alerting.getByRole('status')).toContainText('after 48 h');

  await row.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('dialog', { name: 'Remove' }).getByRole('button', { name: 'Remove' }).click();
  await expect(row).toHaveCount(0);
});

test('a tcp:// endpoint without TLS is refused until the admin allows plain TCP, and is then badged as such', async ({ page }) => {
  const name = `plain-${Date.now()}`;
  await page.goto('/settings');
  await endpointForm(page).getByLabel('Name').fill(name);
  await endpointForm(page).getByLabel('Engine URL').fill('tcp://10.77.0.99:2375');
  await endpointForm(page).getByLabel('PEM files or none').check();
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(page.getByText("would send the cluster's keys and every archive across the network in clear").first()).toBeVisible();
  await expect(page.locator(`[data-endpoint="${name}"]`)).toHaveCount(0);

  await endpointForm(page).getByLabel('Name').fill(name);
  await endpointForm(page).getByLabel('Engine URL').fill('tcp://10.77.0.99:2375');
  await endpointForm(page).getByLabel('PEM files or none').check();
  await endpointForm(page)
    .getByLabel(/Allow plain TCP/)
    .check();
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  const row = page.locator(`[data-endpoint="${name}"]`);
  await expect(row).toContainText('plain TCP: keys cross in clear');
  await row.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('dialog', { name: 'Remove' }).getByRole('button', { name: 'Remove' }).click();
  await expect(row).toHaveCount(0);
});
