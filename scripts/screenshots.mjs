// The README's pictures (run by scripts/screenshots.sh, which starts the server): each page as an operator
// sees it at 1440×900, in the light and the dark theme. Usage: node scripts/screenshots.mjs OUT_DIR
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';

const base = process.env.LIFEBOAT_BASE_URL;
const token = process.env.LIFEBOAT_API_TOKEN;
const out = process.argv[2] ?? 'docs/screenshots';
const passphrase = 'screenshots passphrase';
const api = (route, init = {}) => fetch(`${base}${route}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...init.headers } });

/** Starts a backup through the API; resolves with its id once it runs, and drains its archive meanwhile. */
async function startBackup(body) {
  const response = await api('/api/v1/backups', { method: 'POST', body: JSON.stringify({ passphrase, ...body }) });
  if (response.status !== 200) throw new Error(`backup refused: ${await response.text()}`);
  const done = response.body.pipeTo(new WritableStream());
  return { id: response.headers.get('x-backup-id'), done };
}

fs.mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  // A history to draw: a few backups of each controller, one after another.
  for (const node of ['ctrl-1', 'ctrl-2', 'ctrl-1']) await (await startBackup({ node, rootCaOnly: true })).done;

  for (const theme of ['light', 'dark']) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    await context.addCookies([{ name: 'lifeboat_theme', value: theme, url: base }]);
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill(process.env.LIFEBOAT_ADMIN_PASSWORD);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.waitForURL(`${base}/`);
    const shot = async (name) => {
      await page.screenshot({ path: path.join(out, `${name}-${theme}.png`) });
      console.log(`  ${name}-${theme}.png`);
    };

    await page.waitForLoadState('networkidle');
    await shot('home');

    const running = await startBackup({ node: 'ctrl-2' });
    await page.goto(`${base}/backups/${running.id}`);
    await page.getByTestId('downtime').waitFor({ timeout: 60_000 });
    await shot('backup-progress');
    await running.done;

    await page.goto(`${base}/backups`);
    await page.waitForLoadState('networkidle');
    await shot('history');

    await page.goto(`${base}/nodes/ctrl-1`);
    await page.getByTestId('node-charts').scrollIntoViewIfNeeded();
    await shot('node-charts');

    await page.goto(`${base}/restore?backupId=${running.id}`);
    await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await page.getByTestId('verification-report').waitFor({ timeout: 120_000 });
    await page
      .getByRole('form', { name: 'Restore' })
      .getByLabel(/^Type /)
      .fill('ctrl-2');
    await page.getByTestId('report-for').scrollIntoViewIfNeeded();
    await shot('restore');
    await context.close();
  }
} finally {
  await browser.close();
}
