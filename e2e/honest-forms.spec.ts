// The forms an operator trusts: they keep what was chosen when the server refuses, say each error once,
// say what will happen before it happens, and never show a report made for another archive or node.
import { expect, test, type Page } from '@playwright/test';
import { apiJson, backupThroughApi } from './support/api';
import { createBulkVolume, removeVolume } from './support/bulk-volume';

const passphrase = 'honest forms passphrase';

type BackupJson = { id: string; kind: string; status: string; stored: boolean; fileName: string; node: { hostname: string } };
type RestoreJson = { id: string; dryRun: boolean; status: string; error: string | null };

const chooseBackup = (page: Page, id: string) => page.getByLabel('Backup', { exact: true }).selectOption(id);

test('the backup form keeps every choice after a refusal, says each error once, and says what will stop before it does', async ({ page }) => {
  const volume = `honest-user-${Date.now().toString(36)}`;
  await createBulkVolume('ctrl-1', volume, 1);
  try {
    await page.goto('/nodes/ctrl-1');
    const form = page.getByRole('form', { name: 'Back up now' });
    const panel = form.getByRole('region', { name: 'What will happen' });
    await expect(panel.locator('[data-preview="stops"]')).toContainText(/^Stops \d+ containers on ctrl-1 .*ucp-kv/);
    await expect(panel.locator('[data-preview="volumes"]')).toContainText('Copies 14 volumes');
    await expect(panel.locator('[data-preview="guard"]')).toContainText('Quorum holds');

    await form.getByLabel('Root CA only').check();
    await expect(panel.locator('[data-preview="volumes"]')).toContainText('Copies 2 volumes');
    await expect(panel.locator('[data-preview="stops"]')).toContainText(/^Stops \d+ containers on ctrl-1/);
    await form.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await form.getByLabel('Passphrase again').fill(`${passphrase}!`);
    await form.getByLabel('Note (optional)').fill('kept after a refusal');
    await form.getByRole('button', { name: 'Back up now' }).click();

    await expect(form.getByText('the two passphrases differ')).toHaveCount(1);
    await expect(form.getByRole('status')).toHaveText('Check the marked fields.');
    await expect(form.getByLabel('Root CA only')).toBeChecked();
    await expect(form.getByLabel('Passphrase', { exact: true })).toHaveValue(passphrase);
    await expect(form.getByLabel('Passphrase again')).toHaveValue(`${passphrase}!`);
    await expect(form.getByLabel('Note (optional)')).toHaveValue('kept after a refusal');

    // A user volume that nothing mounts: nothing stops, and the choice survives the next refusal too.
    await form.getByLabel("A selection of this node's volumes").check();
    await expect(panel).toContainText('Choose at least one volume');
    await form.getByRole('checkbox', { name: new RegExp(volume) }).check();
    await expect(panel.locator('[data-preview="stops"]')).toHaveText('Nothing stops: no running container mounts these volumes.');
    await expect(panel.locator('[data-preview="guard"]')).toHaveCount(0);
    await form.getByRole('button', { name: 'Back up now' }).click();
    await expect(form.getByText('the two passphrases differ')).toHaveCount(1);
    await expect(form.getByRole('checkbox', { name: new RegExp(volume) })).toBeChecked();
    await expect(form.getByLabel("A selection of this node's volumes")).toBeChecked();
  } finally {
    await removeVolume('ctrl-1', volume);
  }
});

test("a worker's backup form says what a worker's backup means", async ({ page }) => {
  const volume = `honest-worker-${Date.now().toString(36)}`;
  await createBulkVolume('worker-1', volume, 1);
  try {
    await page.goto('/nodes/worker-1');
    const form = page.getByRole('form', { name: 'Back up now' });
    await form.getByRole('checkbox', { name: new RegExp(volume) }).check();
    const panel = form.getByRole('region', { name: 'What will happen' });
    await expect(panel).toContainText('worker-1 is a worker: it holds no UCP state');
    await expect(panel.locator('[data-preview="guard"]')).toHaveCount(0);
  } finally {
    await removeVolume('worker-1', volume);
  }
});

test('the restore page drops a report once the archive or the target changes, and names what each report is for', async ({ page }) => {
  const ctrl = await backupThroughApi({ node: 'ctrl-1', passphrase, rootCaOnly: true });
  const other = await backupThroughApi({ node: 'ctrl-3', passphrase, rootCaOnly: true });
  const [ctrlRow, otherRow] = await Promise.all([apiJson<BackupJson>(`/api/v1/backups/${ctrl.id}`), apiJson<BackupJson>(`/api/v1/backups/${other.id}`)]);

  await page.goto(`/restore?backupId=${ctrl.id}`);
  const verify = page.getByRole('form', { name: 'Verify an archive' });
  await expect(page.getByLabel('Target node')).toHaveValue('ctrl-1');
  await verify.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await verify.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.getByTestId('report-for')).toHaveText(`Verified ${ctrlRow.fileName} for ctrl-1`);
  await page.getByRole('form', { name: 'Restore' }).getByLabel('Type ctrl-1 to confirm').fill('ctrl-1');

  // Another archive: its node becomes the target, and nothing of the first report stays.
  await chooseBackup(page, other.id);
  await expect(page.getByLabel('Target node')).toHaveValue('ctrl-3');
  await expect(page.getByTestId('verification-report')).toHaveCount(0);
  await expect(page.getByRole('form', { name: 'Restore' })).toHaveCount(0);
  await expect(verify.getByRole('status')).toHaveText('');
  // Back to the first: a report is made again, never brought back.
  await chooseBackup(page, ctrl.id);
  await expect(page.getByTestId('verification-report')).toHaveCount(0);

  await verify.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.getByTestId('report-for')).toHaveText(`Verified ${ctrlRow.fileName} for ctrl-1`);
  await page.getByLabel('Target node').selectOption('ctrl-2');
  await expect(page.getByTestId('verification-report')).toHaveCount(0);
  await expect(page.getByRole('form', { name: 'Restore' })).toHaveCount(0);
  await verify.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.getByTestId('report-for')).toHaveText(`Verified ${ctrlRow.fileName} for ctrl-2`);
  await expect(page.getByRole('form', { name: 'Restore' }).getByLabel('Type ctrl-2 to confirm')).toHaveValue('');

  // The verifications are listed by their archives' names.
  await page.goto('/restore');
  await expect(page.locator('tr[data-restore]').first()).toContainText(ctrlRow.fileName);
  expect(otherRow.fileName).not.toBe(ctrlRow.fileName);
});

test("the restore page starts from the target's newest backup, never a restore's safety copy", async ({ page }) => {
  await backupThroughApi({ node: 'ctrl-1', passphrase, rootCaOnly: true });
  await backupThroughApi({ node: 'ctrl-2', passphrase, rootCaOnly: true });
  const { backups } = await apiJson<{ backups: BackupJson[] }>('/api/v1/backups?node=ctrl-2');
  const newest = backups.find((b) => b.kind !== 'pre-restore' && b.stored && ['succeeded', 'warning'].includes(b.status))!;
  await page.goto('/restore?node=ctrl-2');
  await expect(page.getByLabel('Backup', { exact: true })).toHaveValue(newest.id);
  await expect(page.getByLabel('Backup', { exact: true }).locator('option:checked')).not.toContainText('safety backup');
  // Another target, and the archive follows it while none was chosen by hand.
  await page.getByLabel('Target node').selectOption('ctrl-1');
  const { backups: ctrl1 } = await apiJson<{ backups: BackupJson[] }>('/api/v1/backups?node=ctrl-1');
  const newestOfCtrl1 = ctrl1.find((b) => b.kind !== 'pre-restore' && b.stored && ['succeeded', 'warning'].includes(b.status))!;
  await expect(page.getByLabel('Backup', { exact: true })).toHaveValue(newestOfCtrl1.id);
});

test('a verification with a wrong passphrase is refused and not kept as a failed verification', async ({ page }) => {
  const backup = await backupThroughApi({ node: 'ctrl-3', passphrase, rootCaOnly: true });
  const before = new Set((await apiJson<{ restores: RestoreJson[] }>('/api/v1/restores')).restores.map((r) => r.id));
  await page.goto(`/restore?backupId=${backup.id}`);
  const verify = page.getByRole('form', { name: 'Verify an archive' });
  await verify.getByLabel('Passphrase', { exact: true }).fill('not the passphrase at all');
  await verify.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(verify.getByRole('status')).toHaveText(/the passphrase is wrong/);
  await expect(verify.getByLabel('Passphrase', { exact: true })).toHaveValue('not the passphrase at all');
  const added = (await apiJson<{ restores: RestoreJson[] }>('/api/v1/restores')).restores.filter((r) => !before.has(r.id));
  expect(added).toEqual([]);
});
