// One operator's drill, as one story, on a phone in the dark theme and on a wide screen in the light one
// (e2e/a11y.spec.ts checks every page at both sizes in both themes):
// the home page's backup health, a backup from the node page (what will happen, said first), a backup
// cancelled from its page, a verification, a restore and its undo. Along the way, each finding of the
// review that shaped these pages is checked where it shows: forms that keep their choices, a report that
// names what it was made for and goes when the target changes, a live status, a toast for what leaves
// the page, no page wider than the screen.
import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { gpgTarList } from './support/archive';
import { createBulkVolume, removeVolume } from './support/bulk-volume';
import { docker, ucpStates } from './support/lab';
import { overflowOf, SIZES, themedContext, type Size, type Theme } from './support/screens';

const node = 'ctrl-3';
const passphrase = 'walk-through passphrase';

/** Follows a link of the main nav: on a phone, through its Menu. */
async function navigate(page: Page, phone: boolean, label: string) {
  const nav = page.getByRole('navigation', { name: 'Main' });
  if (phone) await nav.getByText('Menu').click();
  await nav.getByRole('link', { name: label }).click();
}

async function fitsTheScreen(page: Page) {
  expect.soft(await overflowOf(page), `${new URL(page.url()).pathname} is wider than the screen`).toBeLessThanOrEqual(0);
}

/** Verifies the chosen archive (as the page names it) for the target on the restore page, and restores it once the node's name is typed. */
async function verifyAndRestore(page: Page, archive: string) {
  const verify = page.getByRole('form', { name: 'Verify an archive' });
  await verify.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await verify.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.getByTestId('report-for')).toHaveText(`Verified ${archive} for ${node}`);
  await fitsTheScreen(page);
  const restore = page.getByRole('form', { name: 'Restore' });
  await restore.getByLabel(`Type ${node} to confirm`).fill('ctrl-1');
  await restore.getByRole('button', { name: `Restore onto ${node}` }).click();
  await expect(restore.getByText('does not match the target node')).toBeVisible();
  await restore.getByLabel(`Type ${node} to confirm`).fill(node);
  await restore.getByRole('button', { name: `Restore onto ${node}` }).click();
  await expect(page).toHaveURL(/\/restores\/[a-z0-9]+$/);
  await expect(page.getByRole('heading', { level: 1 }).locator('..').getByText('succeeded', { exact: true })).toBeVisible({ timeout: 60_000 });
  await fitsTheScreen(page);
}

// A user's volume on worker-1 that a user's container mounts: what the cancelled backups stop. busybox's
// sleep ignores SIGTERM, so its stop takes the engine's 10 s grace, time enough to cancel.
const user = { volume: 'walk-user-data', container: 'walk-user' };
test.beforeAll(async () => {
  await docker('worker-1', 'rm', '-f', user.container).catch(() => '');
  await removeVolume('worker-1', user.volume);
  await createBulkVolume('worker-1', user.volume, 16);
  await docker('worker-1', 'run', '-d', '--name', user.container, '--network', 'none', '-v', `${user.volume}:/data`, 'lifeboat-lab/busybox:latest', 'sleep', '2147483647');
});
test.afterAll(async () => {
  await docker('worker-1', 'rm', '-f', user.container).catch(() => '');
  await removeVolume('worker-1', user.volume);
});

const DRILLS: { size: Size; theme: Theme }[] = [
  { size: SIZES[0], theme: 'dark' },
  { size: SIZES[1], theme: 'light' },
];
for (const { size, theme } of DRILLS) {
  test(`an operator's drill at ${size.width} px in the ${theme} theme: back up, cancel, verify, restore, undo`, async ({ browser }) => {
    test.setTimeout(240_000);
    const phone = size.name === 'phone';
    const page = await (await themedContext(browser, size, theme)).newPage();

    // The home page: the controller's backup health, with its way to back up.
    await page.goto('/');
    await expect(page.locator('html')).toHaveClass(theme);
    const health = page.locator('section', { has: page.locator(`[data-node="${node}"]`) }).getByTestId('backup-health');
    await expect(health).toHaveText(/(last good backup .* ago|no good backup)/);
    await fitsTheScreen(page);
    await health.getByRole('link', { name: 'Back up' }).click();

    // The backup: what will happen first; a refusal keeps every choice and says its error once.
    const form = page.getByRole('form', { name: 'Back up now' });
    const panel = form.getByRole('region', { name: 'What will happen' });
    await form.getByLabel('Root CA only').check();
    await expect(panel.locator('[data-preview="volumes"]')).toContainText('Copies 2 volumes');
    await expect(panel.locator('[data-preview="stops"]')).toContainText(`on ${node}`);
    await expect(panel.locator('[data-preview="guard"]')).toContainText('Quorum holds');
    await form.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await form.getByLabel('Passphrase again').fill(`${passphrase}?`);
    await form.getByRole('button', { name: 'Back up now' }).click();
    await expect(form.getByText('the two passphrases differ')).toHaveCount(1);
    await expect(form.getByLabel('Root CA only')).toBeChecked();
    await fitsTheScreen(page);
    await form.getByLabel('Passphrase again').fill(passphrase);
    await form.getByLabel('Note (optional)').fill(`drill at ${size.width} px, ${theme}`);
    const downloading = page.waitForEvent('download');
    await form.getByRole('button', { name: 'Back up now' }).click();
    const download = await downloading;
    const archive = test.info().outputPath(download.suggestedFilename());
    await download.saveAs(archive);
    expect(await gpgTarList(archive, passphrase)).toContain('./ucp-client-root-ca/cert.pem');
    await expect(page).toHaveURL(/\/backups\/[a-z0-9]+$/);
    const backupUrl = page.url();
    const fileName = download.suggestedFilename();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(fileName);
    await expect(page.getByRole('heading', { level: 1 }).locator('..').getByText('succeeded', { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByText(`“drill at ${size.width} px, ${theme}”`)).toBeVisible();
    await page.locator('[data-manifest-volume="ucp-client-root-ca"] summary').click();
    await expect(page.locator('[data-manifest-volume="ucp-client-root-ca"]')).toContainText('cert.pem');
    await fitsTheScreen(page);

    // A backup cancelled from its page: the user's container it stopped runs again, no archive is kept.
    await page.goto('/nodes/worker-1');
    const workerForm = page.getByRole('form', { name: 'Back up now' });
    await workerForm.getByRole('checkbox', { name: new RegExp(user.volume) }).check();
    await workerForm.getByLabel(`Stop and restart ${user.container}`).check();
    await workerForm.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await workerForm.getByLabel('Passphrase again').fill(passphrase);
    await workerForm.getByRole('button', { name: 'Back up now' }).click();
    await expect(page).toHaveURL(/\/backups\/[a-z0-9]+$/);
    await page.getByRole('button', { name: 'Cancel backup' }).click();
    await page.getByRole('dialog', { name: 'Cancel backup' }).getByRole('button', { name: 'Cancel backup' }).click();
    await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Cancelling');
    await expect(page.getByRole('heading', { level: 1 }).locator('..').getByText('cancelled', { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole('link', { name: 'Download' })).toHaveCount(0);
    await fitsTheScreen(page);
    expect((await docker('worker-1', 'inspect', '--format', '{{.State.Running}}', user.container)).trim()).toBe('true');

    // The history: both, with their outcomes; then the first one verified from its page.
    await navigate(page, phone, 'Backups');
    await expect(page.locator('tr[data-backup]').first()).toContainText('cancelled');
    const row = page.locator(`tr[data-backup="${backupUrl.split('/').pop()}"]`);
    await expect(row).toContainText('succeeded');
    // The root CA's archive: a few KB, as the file that came down.
    await expect(row).toContainText(`${(fs.statSync(archive).size / 1024).toFixed(1)} KB`);
    await fitsTheScreen(page);
    await row.getByRole('link').first().click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(fileName);
    await expect(page.getByTestId('last-verification')).toContainText('Never verified');
    const verify = page.getByRole('form', { name: 'Verify this backup' });
    await verify.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await verify.getByRole('button', { name: 'Verify' }).click();
    await expect(verify.getByRole('status')).toHaveText(/^Verified: 2 volumes/);
    await expect(page.getByTestId('last-verification')).toContainText('Restores: verified');

    // The restore: a report made for one target goes when the target changes, and is made again.
    await page.getByRole('link', { name: 'Restore…' }).click();
    await expect(page.getByLabel('Target node')).toHaveValue(node);
    const verifyArchive = page.getByRole('form', { name: 'Verify an archive' });
    await verifyArchive.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await verifyArchive.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(page.getByTestId('report-for')).toHaveText(`Verified ${fileName} for ${node}`);
    await page.getByLabel('Target node').selectOption('ctrl-2');
    await expect(page.getByTestId('verification-report')).toHaveCount(0);
    await page.getByLabel('Target node').selectOption(node);
    await expect(page.getByTestId('verification-report')).toHaveCount(0);
    await verifyAndRestore(page, fileName);

    // The undo: the safety copy restored the same way, and UCP runs on the node.
    await page.getByRole('link', { name: 'undo this restore' }).click();
    await expect(page.getByLabel('Backup', { exact: true }).locator('option:checked')).toContainText('safety backup');
    const safetyLabel = (await page.getByLabel('Backup', { exact: true }).locator('option:checked').textContent())!;
    const safetyName = safetyLabel.replace(/ \(safety backup\)$/, '');
    await verifyAndRestore(page, safetyLabel);
    expect((await ucpStates(node)).every((s) => s === 'running')).toBe(true);

    // The restores, listed by their archives' names; the home page shows the verified backup as the newest good one.
    await navigate(page, phone, 'Restore');
    await expect(page.locator('tr[data-restore]').first()).toContainText(safetyName);
    await fitsTheScreen(page);
    await navigate(page, phone, 'Cluster');
    await expect(health).toHaveAttribute('data-tone', 'good');
    await expect(health.getByRole('link', { name: 'verified', exact: true })).toBeVisible();
    await page.context().close();
  });
}
