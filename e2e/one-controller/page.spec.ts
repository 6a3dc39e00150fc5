import { containers, expectControlPlaneRestarted, NODE, OUTAGE_REFUSAL, spoilUcpVolumes, volumeHashes } from './control-plane';
import { expect, test } from './fixtures';

const passphrase = 'one controller page passphrase';

test('through the pages: back up the only controller, then restore its download, each with the outage consent, proved by the volumes, the containers and the history', async ({
  page,
}) => {
  const original = await volumeHashes();
  expect(Object.keys(original).filter((v) => v.startsWith('ucp-'))).toHaveLength(14);
  const atStart = await containers();
  expect(Object.values(atStart).every((c) => c.state === 'running')).toBe(true);

  // The backup form asks for the consent; without it the guard refuses, and nothing stops.
  await page.goto(`/nodes/${NODE}`);
  const form = page.getByRole('form', { name: 'Back up now' });
  await expect(form.getByLabel('Every UCP volume (14)')).toBeChecked();
  const consent = form.getByLabel(/this stops the control plane/i);
  await expect(consent).not.toBeChecked();
  await form.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await form.getByLabel('Passphrase again').fill(passphrase);
  await form.getByRole('button', { name: 'Back up now' }).click();
  await expect(form.getByRole('status')).toHaveText(OUTAGE_REFUSAL);
  expect(await containers()).toEqual(atStart);

  // The refused form keeps what was typed; the consent, and it goes.
  await expect(form.getByLabel('Passphrase', { exact: true })).toHaveValue(passphrase);
  await expect(form.getByRole('region', { name: 'What will happen' }).locator('[data-preview="guard"]')).toContainText('Needs your consent below');
  await consent.check();
  const downloading = page.waitForEvent('download');
  await form.getByRole('button', { name: 'Back up now' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^ucp-backup-ctrl-1-\d{8}T\d{6}Z\.tar\.gpg$/);
  const file = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(file);
  expect(await download.failure()).toBeNull();
  await expect(page).toHaveURL(/\/backups\/[a-z0-9]+$/);
  const backupId = page.url().split('/').pop()!;
  await expect(page.getByText('succeeded', { exact: true })).toBeVisible({ timeout: 60_000 });
  const ucpContainers = await expectControlPlaneRestarted(atStart);
  const stopped = await page.locator('dt:text-is("Stopped") + dd').textContent();
  expect(stopped!.split(', ').sort()).toEqual(ucpContainers);
  await expect(page.locator('dt:text-is("Started again") + dd')).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  expect(await volumeHashes()).toEqual(original);

  await spoilUcpVolumes();
  const spoiled = await volumeHashes();
  expect(Object.keys(spoiled).filter((v) => spoiled[v] !== original[v])).toEqual(['ucp-client-root-ca', 'ucp-kv']);

  // The restore page takes the downloaded file. Its verification says the restore needs the same consent, in
  // the same words; restored without it, the restore is refused before anything stops.
  const afterBackup = await containers();
  const restoreForm = async () => {
    await page.goto('/restore');
    await page.getByRole('radio', { name: /An archive file/ }).check();
    await page.getByLabel('Archive file', { exact: true }).setInputFiles(file);
    await page.getByLabel('Target node').selectOption(NODE);
    await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    const report = page.getByTestId('verification-report');
    await expect(report).toContainText('Authentic and complete', { timeout: 60_000 });
    await expect(report.locator('[data-report-volume="ucp-kv"]')).toContainText('replaced');
    const restore = page.getByRole('form', { name: 'Restore' });
    await expect(restore.getByLabel(/this stops the control plane/i)).not.toBeChecked();
    await restore.getByLabel(`Type ${NODE} to confirm`).fill(NODE);
    return restore;
  };
  const restoreRecord = async () => {
    await expect(page).toHaveURL(/\/restores\/[a-z0-9]+$/);
    return page.url().split('/').pop()!;
  };

  await (await restoreForm()).getByRole('button', { name: `Restore onto ${NODE}` }).click();
  const refusedId = await restoreRecord();
  await expect(page.getByText('failed', { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(OUTAGE_REFUSAL);
  await expect(page.locator('dt:text-is("Down") + dd')).toContainText('nothing stopped');
  expect(await containers()).toEqual(afterBackup);
  expect(await volumeHashes()).toEqual(spoiled);

  const restore = await restoreForm();
  await restore.getByLabel(/this stops the control plane/i).check();
  await restore.getByRole('button', { name: `Restore onto ${NODE}` }).click();
  const restoreId = await restoreRecord();
  await expect(page.getByText('succeeded', { exact: true })).toBeVisible({ timeout: 120_000 });
  await expect(page.getByText(`uploaded ${download.suggestedFilename()}`)).toBeVisible();
  expect(await volumeHashes()).toEqual(original);
  expect(await expectControlPlaneRestarted(afterBackup)).toEqual(ucpContainers);
  const down = await page.locator('dt:text-is("Down") + dd').textContent();
  expect(
    down!
      .replace(/^.*?\((.*)\)$/, '$1')
      .split(', ')
      .sort(),
  ).toEqual(ucpContainers);
  const safetyId = (await page.locator('dt:text-is("Safety backup") + dd a').first().getAttribute('href'))!.split('/').pop()!;

  // The history: the backup (and the safety backup the restore took first), and the restore, all succeeded.
  await page.goto('/backups');
  const backupRow = page.locator(`tr[data-backup="${backupId}"]`);
  await expect(backupRow).toContainText(NODE);
  await expect(backupRow).toContainText('all UCP (14)');
  await expect(backupRow).toContainText('succeeded');
  const safetyRow = page.locator(`tr[data-backup="${safetyId}"]`);
  await expect(safetyRow).toContainText(NODE);
  await expect(safetyRow).toContainText('succeeded');
  await page.goto('/restore');
  const restoreRow = page.locator(`tr[data-restore="${restoreId}"]`);
  await expect(restoreRow).toContainText('restore');
  await expect(restoreRow).toContainText(NODE);
  await expect(restoreRow).toContainText('succeeded');
  await expect(page.locator(`tr[data-restore="${refusedId}"]`)).toContainText('failed');
});
