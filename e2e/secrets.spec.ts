// A passphrase must never be stored, logged or sent back: after backups, a verification, a restore and a
// failed restore with a known passphrase, it is nowhere in the database, the server's output or any page.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { backupThroughApi, restoreThroughApi } from './support/api';
import { createBulkVolume, removeVolume } from './support/bulk-volume';

const node = 'worker-1';
const volume = 'lifeboat-e2e-secrets';
const secret = `secret-passphrase-${Date.now().toString(36)}-do-not-keep`;

test('a known passphrase is nowhere to be found afterwards: not in SQLite, the server log, or any page or payload', async ({ page, request }) => {
  test.setTimeout(180_000);
  await createBulkVolume(node, volume, 8);
  try {
    const kept = await backupThroughApi({ node, passphrase: secret, volumes: [volume] });
    const other = await backupThroughApi({ node, passphrase: 'another passphrase entirely', volumes: [volume] });

    // A verification through the page (the passphrase crosses a server action), then a restore and a failed one.
    await page.goto(`/backups/${kept.id}`);
    const verify = page.getByRole('form', { name: 'Verify this backup' });
    await verify.getByLabel('Passphrase', { exact: true }).fill(secret);
    await verify.getByRole('button', { name: 'Verify' }).click();
    await expect(verify.getByRole('status')).toHaveText(/^Verified: 1 volume/);
    const restored = await restoreThroughApi({ node, passphrase: secret, dryRun: 'false', backupId: kept.id, skipSafetyBackup: 'true' });
    expect(restored.body).toMatchObject({ status: 'succeeded' });
    const refused = await restoreThroughApi({ node, passphrase: secret, dryRun: 'false', backupId: other.id, skipSafetyBackup: 'true' });
    expect(JSON.stringify(refused.body)).toContain('the passphrase is wrong');
    expect(JSON.stringify(refused.body)).not.toContain(secret);

    const dataDir = process.env.LIFEBOAT_DATA_DIR!;
    const needle = Buffer.from(secret);
    for (const file of ['lifeboat.db', 'lifeboat.db-wal', 'server.log']) {
      const full = path.join(dataDir, file);
      if (fs.existsSync(full)) expect(fs.readFileSync(full).includes(needle), file).toBe(false);
    }

    const restores = (await (await request.get('/api/v1/restores')).json()).restores as { id: string }[];
    const pages = ['/', '/backups', `/backups/${kept.id}`, `/backups/${other.id}`, '/restore', ...restores.slice(0, 3).map((r) => `/restores/${r.id}`)];
    pages.push(`/nodes/${node}`, '/policies', '/settings', '/users', '/audit');
    for (const url of pages) {
      for (const headers of [{}, { RSC: '1' }] as Record<string, string>[]) {
        const response = await request.get(url, { headers });
        expect(response.status(), url).toBe(200);
        expect((await response.text()).includes(secret), `${url}${'RSC' in headers ? ' (RSC payload)' : ''}`).toBe(false);
      }
    }
  } finally {
    await removeVolume(node, volume);
  }
});
