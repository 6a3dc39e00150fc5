import { expect, test } from '@playwright/test';
import { gpgTarList } from './support/archive';
import { gpgKeyPair, type GpgKeyPair } from './support/gpg-key';

let pair: GpgKeyPair;
test.beforeAll(async () => {
  pair = await gpgKeyPair('Night Shift <night@example.org>');
});
test.afterAll(() => pair.remove());

test('a public key imported in Settings takes a backup with no passphrase; gpg opens it, and the page verifies it with the private key', async ({ page }) => {
  await page.goto('/settings');
  const importForm = page.getByRole('form', { name: 'Import a public key' });
  await importForm.getByLabel('Public key (armored)').fill(pair.privateKey);
  await importForm.getByRole('button', { name: 'Import key' }).click();
  await expect(importForm.getByRole('status')).toHaveText(/this is a private key: import its public part/);
  await importForm.getByLabel('Public key (armored)').fill(pair.publicKey);
  await importForm.getByRole('button', { name: 'Import key' }).click();
  await expect(importForm.getByRole('status')).toContainText(`Imported Night Shift <night@example.org> (${pair.fingerprint})`);
  const row = page.locator(`[data-key="${pair.fingerprint}"]`);
  await expect(row).toContainText('never expires');

  await page.goto('/nodes/ctrl-2');
  const form = page.getByRole('form', { name: 'Back up now' });
  await form.getByLabel('Root CA only').check();
  await form.getByRole('checkbox', { name: /Night Shift/ }).check();
  await expect(form.getByLabel('Passphrase (optional)')).toBeVisible();
  const downloading = page.waitForEvent('download');
  await form.getByRole('button', { name: 'Back up now' }).click();
  const download = await downloading;
  const file = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(file);
  expect(await gpgTarList(file, pair.passphrase, pair.home)).toContain('./ucp-client-root-ca/cert.pem');

  await expect(page).toHaveURL(/\/backups\/[a-z0-9]+$/);
  await expect(page.getByText('succeeded', { exact: true })).toBeVisible();
  await expect(page.getByTestId('encrypted-to')).toHaveText(`the private key of Night Shift <night@example.org> ${pair.fingerprint.slice(-16)}`);
  const verify = page.getByRole('form', { name: 'Verify this backup' });
  await expect(verify.getByLabel('a private key')).toBeChecked();
  await verify.getByLabel('Private key (armored)').fill(pair.privateKey);
  await verify.getByLabel("Private key's passphrase").fill(pair.passphrase);
  await verify.getByRole('button', { name: 'Verify' }).click();
  await expect(verify.getByRole('status')).toHaveText(/^Verified: 2 volumes/);

  await page.goto('/settings');
  await row.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('dialog', { name: 'Remove' }).getByRole('button', { name: 'Remove' }).click();
  await expect(row).toHaveCount(0);
});
