import { expect, test } from '@playwright/test';
import { apiFetch } from './support/api';
import { gpgKeyPair, type GpgKeyPair } from './support/gpg-key';

let pair: GpgKeyPair;
test.beforeAll(async () => {
  pair = await gpgKeyPair('Policy Page <policy-page@example.org>');
  const imported = await apiFetch('/api/v1/keys', { method: 'POST', body: JSON.stringify({ armored: pair.publicKey }) });
  expect(imported.status).toBe(201);
});
test.afterAll(() => pair.remove());

test.setTimeout(150_000);

test('a policy created on the Policies page shows its next runs in its zone, warns of business hours, runs now, and its backup is in the history with its name', async ({
  page,
}) => {
  await page.goto('/policies');
  const form = page.getByRole('form', { name: 'New policy' });
  await form.getByLabel('Name').fill('office hours e2e');
  await form.getByLabel('Cron').fill('30 9 * * 1-5');
  await form.getByLabel('Time zone').fill('Mars/Olympus');
  await form.getByLabel('One controller per run, in rotation').check();
  await form.getByLabel('Root CA only').check();
  await form.getByRole('checkbox', { name: /Policy Page/ }).check();
  await form.getByRole('button', { name: 'Create policy' }).click();
  await expect(form.getByText('"Mars/Olympus" is not a time zone', { exact: false }).first()).toBeVisible();

  await form.getByLabel('Time zone').fill('Europe/Berlin');
  await form.getByRole('button', { name: 'Create policy' }).click();
  await expect(form.getByRole('status')).toHaveText('Saved "office hours e2e".');
  const card = page.locator('[data-policy="office hours e2e"]');
  await expect(card.getByTestId('next-runs').getByRole('listitem')).toHaveCount(3);
  for (const item of await card.getByTestId('next-runs').getByRole('listitem').allTextContents()) expect(item).toMatch(/^(Mon|Tue|Wed|Thu|Fri), .*, 09:30$/);
  await expect(card.getByRole('alert')).toContainText('5 runs in the coming week fall inside business hours (Mon–Fri 08:00–18:00, Europe/Berlin)');

  // Moved out of business hours, the warning goes.
  await card.locator('summary', { hasText: 'Edit' }).click();
  const edit = card.getByRole('form', { name: 'Edit office hours e2e' });
  await edit.getByLabel('Cron').fill('0 2 * * *');
  await edit.getByRole('button', { name: 'Save policy' }).click();
  await expect(edit.getByRole('status')).toHaveText('Saved "office hours e2e".');
  await expect(card.getByRole('alert')).toHaveCount(0);
  await expect(card.getByTestId('next-runs').getByRole('listitem').first()).toHaveText(/ 02:00$/);

  await card.getByRole('button', { name: 'Run now' }).click();
  await expect(card.getByRole('status').first()).toContainText('Run started');
  await expect(async () => {
    await page.goto('/backups');
    const row = page.locator('tr', { has: page.locator('[data-policy="office hours e2e"]') });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('succeeded');
  }).toPass({ timeout: 90_000 });

  await page.goto('/policies');
  // Retention that prunes nothing now is saved at once.
  await card.locator('summary', { hasText: 'Edit' }).click();
  await edit.getByLabel('Keep the last').fill('1');
  await edit.getByRole('button', { name: 'Save policy' }).click();
  await expect(edit.getByRole('status')).toHaveText('Saved "office hours e2e".');
  await expect(card).toContainText('keeps the last 1 per node (verified backups only)');
  await expect(card.locator('[data-run]')).toHaveCount(1);
  await expect(card.locator('[data-run]')).toContainText('Run now');
  await expect(card.locator('[data-run]')).toContainText('succeeded');
  await card.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog', { name: 'Delete' }).getByRole('button', { name: 'Delete' }).click();
  await expect(card).toHaveCount(0);
});
