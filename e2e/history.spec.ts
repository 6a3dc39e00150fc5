// The Backups page: filters, search and sort that the API shares, verified status in the list, and a list
// that refreshes by itself while a job in it runs.
import { expect, test } from '@playwright/test';
import { apiFetch, apiJson, backupThroughApi } from './support/api';

const passphrase = 'history page passphrase';
type BackupJson = { id: string; kind: string; encryptedBytes: number | null; node: { hostname: string } };

test('the history filters by search, node, status, kind and date, sorts, shows verification, and refreshes while a backup runs', async ({ page }) => {
  const needle = `needle-${Date.now().toString(36)}`;
  // Running once its headers arrive (the archive follows): the page, loaded meanwhile, must notice on its own that it ends.
  const running = await apiFetch('/api/v1/backups', { method: 'POST', body: JSON.stringify({ node: 'ctrl-3', passphrase, rootCaOnly: true, note: needle }) });
  expect(running.status).toBe(200);

  await page.goto(`/backups?q=${needle}`);
  const rows = page.locator('tr[data-backup]');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('ctrl-3');
  await expect(rows.first()).toContainText(/checking|stopping|copying|starting|encrypting/);
  await expect(rows.first()).toContainText('succeeded', { timeout: 60_000 });
  await running.arrayBuffer();
  const id = (await rows.first().getAttribute('data-backup'))!;
  await expect(rows.first().locator('[data-verified]')).toHaveAttribute('data-verified', 'never');

  const verified = await apiFetch(`/api/v1/backups/${id}/verify`, { method: 'POST', body: JSON.stringify({ passphrase }) });
  expect(verified.status).toBe(200);
  await page.reload();
  await expect(rows.first().locator('[data-verified]')).toHaveText('verified');

  // The form's filters, as the operator sets them.
  await page.goto('/backups');
  const form = page.getByRole('form', { name: 'Filter backups' });
  await form.getByLabel('Node').selectOption('ctrl-3');
  await form.getByLabel('Status').selectOption('succeeded');
  await form.getByLabel('Kind').selectOption('manual');
  await form.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/node=ctrl-3/);
  await expect(rows.first()).toBeVisible();
  for (const text of await rows.allTextContents()) expect(text).toMatch(/ctrl-3.*succeeded/);
  await expect(page.locator(`tr[data-backup="${id}"]`)).toHaveCount(1);

  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  await page.goto(`/backups?from=${tomorrow}`);
  await expect(page.getByText('No backup matches these filters.')).toBeVisible();
  await page.goto(`/backups?q=${needle}&to=${tomorrow}`);
  await expect(rows).toHaveCount(1);
  await page.goto('/backups?from=yesterday');
  await expect(page.getByText('Filters ignored: from is not a date')).toBeVisible();

  // Sorted by size, with at least one more backup of a size of its own to sort.
  await backupThroughApi({ node: 'ctrl-3', passphrase, volumes: ['ucp-kv'] });
  const { backups } = await apiJson<{ backups: BackupJson[] }>('/api/v1/backups?sort=largest&kind=manual');
  const sizes = backups.map((b) => b.encryptedBytes).filter((n): n is number => n !== null);
  expect(sizes.length).toBeGreaterThan(1);
  expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  expect(backups.every((b) => b.kind === 'manual')).toBe(true);
  expect((await apiFetch('/api/v1/backups?sort=sideways')).status).toBe(400);
  // A day that is not in the calendar is refused, not read as another.
  expect((await apiFetch('/api/v1/backups?from=2026-13-01')).status).toBe(400);
  expect((await apiFetch('/api/v1/backups?to=2026-02-31')).status).toBe(400);
});
