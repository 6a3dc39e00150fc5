// Every page, on a phone and on a wide screen, in the light and the dark theme: no serious or critical
// axe violation (WCAG 2.1 A and AA), no page wider than the screen, and a skip link to the content.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { apiJson, backupThroughApi, restoreThroughApi } from './support/api';
import { appEntries } from './support/app-map';
import { overflowOf, SIZES, themedContext, THEMES } from './support/screens';

const passphrase = 'accessibility passphrase';

/** The app's pages with their dynamic segments filled with real ids; every page of app/ must be here. */
async function pagesToCheck(): Promise<string[]> {
  const backup = await backupThroughApi({ node: 'ctrl-3', passphrase, rootCaOnly: true });
  const verification = await restoreThroughApi({ node: 'ctrl-3', passphrase, dryRun: 'true', backupId: backup.id });
  expect(verification.status).toBe(200);
  const { restores } = await apiJson<{ restores: { id: string }[] }>('/api/v1/restores');
  const fill: Record<string, string> = { '/backups/x1': `/backups/${backup.id}`, '/restores/x1': `/restores/${restores[0].id}`, '/nodes/x1': '/nodes/ctrl-1' };
  const entries = appEntries().pages;
  // Checked on the app's paths, not the filled URLs: a real id may contain `x1` itself.
  expect(
    entries.filter((p) => p.split('/').includes('x1') && !(p in fill)),
    'dynamic pages without an id to fill in',
  ).toEqual([]);
  return entries.map((p) => fill[p] ?? p);
}

async function checkPage(page: Page, url: string, label: string) {
  await page.goto(url);
  // What the page fetches after it loads (the backup form's "What will happen") is checked once it is in.
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const grave = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect.soft(grave, label).toEqual([]);
  expect.soft(await overflowOf(page), `${label}: wider than the screen`).toBeLessThanOrEqual(0);
}

test('every page passes axe on a phone and a wide screen, in light and dark, and fits the screen', async ({ browser }) => {
  test.setTimeout(300_000);
  const pages = await pagesToCheck();
  for (const size of SIZES) {
    for (const theme of THEMES) {
      const context = await themedContext(browser, size, theme);
      const page = await context.newPage();
      for (const url of pages.filter((p) => p !== '/login')) await checkPage(page, url, `${url} (${size.name}, ${theme})`);
      await context.close();
      const anonymous = await themedContext(browser, size, theme, false);
      await checkPage(await anonymous.newPage(), '/login', `/login (${size.name}, ${theme})`);
      await anonymous.close();
    }
  }
});

test('the dark theme is darker than the light one, and the toggle keeps the choice', async ({ page }) => {
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('light');
  const light = await background();
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  const dark = await background();
  expect(dark).not.toBe(light);
  await page.reload();
  await expect(page.locator('html')).toHaveClass('dark');
  expect(await background()).toBe(dark);
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('system');
  await page.reload();
  await expect(page.locator('html')).not.toHaveClass(/dark|light/);
});

test('a keyboard reaches the content through the skip link, and the phone menu opens the pages', async ({ page }) => {
  await page.goto('/backups');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Backups' })).toHaveAttribute('aria-current', 'page');

  await page.setViewportSize({ width: 360, height: 740 });
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Settings' })).toBeHidden();
  await nav.getByText('Menu').click();
  await nav.getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(/\/settings$/);
});
