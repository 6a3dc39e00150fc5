import { expect, test } from '@playwright/test';

const passphrase = 'browser passphrase 2026';

test('a short or mismatched passphrase is refused on the page, and nothing starts', async ({ page }) => {
  await page.goto('/backups');
  const before = await page.locator('tr[data-backup]').count();
  await page.goto('/nodes/ctrl-1');
  const form = page.getByRole('form', { name: 'Back up now' });
  await form.getByLabel('Passphrase', { exact: true }).fill('long enough passphrase');
  await form.getByLabel('Passphrase again').fill('long enough passphrasf');
  await form.getByRole('button', { name: 'Back up now' }).click();
  await expect(form.getByText('the two passphrases differ').first()).toBeVisible();
  await page.goto('/backups');
  await expect(page.locator('tr[data-backup]')).toHaveCount(before);
});

test('a worker offers its volumes, and says it needs no backup', async ({ page }) => {
  await page.goto('/nodes/worker-1');
  await expect(page.getByText('A worker is stateless')).toBeVisible();
  const form = page.getByRole('form', { name: 'Back up now' });
  await expect(form.getByLabel('Every UCP volume', { exact: false })).toHaveCount(0);
  await expect(form.getByLabel("A selection of this node's volumes")).toBeChecked();
});

test('deleting an archive keeps the history row, marked deleted', async ({ page, request }) => {
  const response = await request.post('/api/v1/backups', {
    headers: { Authorization: `Bearer ${process.env.LIFEBOAT_API_TOKEN}` },
    data: { node: 'ctrl-3', passphrase, rootCaOnly: true },
  });
  expect(response.status()).toBe(200);
  const id = response.headers()['x-backup-id'];
  await page.goto(`/backups/${id}`);
  await expect(page.getByRole('link', { name: 'Download' })).toBeVisible();
  await page.getByRole('button', { name: 'Delete archive' }).click();
  await page.getByRole('dialog', { name: 'Delete archive' }).getByRole('button', { name: 'Delete archive' }).click();
  await expect(page.getByText(/archive deleted/).first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download' })).toHaveCount(0);
  await page.goto('/backups');
  await expect(page.locator(`tr[data-backup="${id}"]`)).toContainText('archive deleted');
});
