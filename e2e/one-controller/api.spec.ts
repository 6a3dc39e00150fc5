import { apiFetch, apiJson, backupThroughApi, restoreThroughApi } from '../support/api';
import { containers, expectControlPlaneRestarted, NODE, OUTAGE_REFUSAL, spoilUcpVolumes, volumeHashes } from './control-plane';
import { expect, test } from './fixtures';

const passphrase = 'one controller api passphrase';

type Backup = { id: string; kind: string; status: string; node: { hostname: string }; scope: string; volumes: string[]; stoppedContainers: string[]; downtimeMs: number | null };
type Restore = { id: string; status: string; target: { hostname: string }; safetyBackupId: string | null; stoppedContainers: string[] };
const backups = async () => (await apiJson<{ backups: Backup[] }>('/api/v1/backups')).backups;
const restores = async () => (await apiJson<{ restores: Restore[] }>('/api/v1/restores')).restores;

test('through the API: back up and restore the only controller, refused without confirmOutage, proved by the volumes, the containers and the history', async () => {
  const original = await volumeHashes();
  const ucpVolumes = Object.keys(original).filter((v) => v.startsWith('ucp-'));
  expect(ucpVolumes).toHaveLength(14);
  const atStart = await containers();
  expect(Object.values(atStart).every((c) => c.state === 'running')).toBe(true);
  const historyAtStart = { backups: (await backups()).length, restores: (await restores()).length };

  // Without the consent: a 409 that says what it would stop and which words to confirm; nothing stops, nothing is recorded.
  const refused = await apiFetch('/api/v1/backups', { method: 'POST', body: JSON.stringify({ node: NODE, passphrase }) });
  expect(refused.status).toBe(409);
  expect((await refused.json()).error).toEqual({ code: 'conflict', message: OUTAGE_REFUSAL });
  expect(await containers()).toEqual(atStart);
  expect((await backups()).length).toBe(historyAtStart.backups);

  // With it: every UCP volume, UCP stopped while they are read and started again, the user's container untouched.
  const backup = await backupThroughApi({ node: NODE, passphrase, confirmOutage: true });
  const ucpContainers = await expectControlPlaneRestarted(atStart);
  expect(await volumeHashes()).toEqual(original);
  const record = await apiJson<Backup>(`/api/v1/backups/${backup.id}`);
  expect(record).toMatchObject({ id: backup.id, kind: 'manual', status: 'succeeded', node: { hostname: NODE }, scope: 'ucp' });
  expect([...record.volumes].sort()).toEqual(ucpVolumes);
  expect([...record.stoppedContainers].sort()).toEqual(ucpContainers);
  expect(record.downtimeMs).toBeGreaterThan(0);

  await spoilUcpVolumes();
  const spoiled = await volumeHashes();
  expect(Object.keys(spoiled).filter((v) => spoiled[v] !== original[v])).toEqual(['ucp-client-root-ca', 'ucp-kv']);

  // A restore without the consent: refused the same way, before anything stops or is written.
  const afterBackup = await containers();
  const refusedRestore = await restoreThroughApi({ node: NODE, passphrase, dryRun: 'false', backupId: backup.id });
  expect(refusedRestore.status).toBe(409);
  expect(refusedRestore.body.error).toEqual({ code: 'conflict', message: OUTAGE_REFUSAL });
  expect(await containers()).toEqual(afterBackup);
  expect(await volumeHashes()).toEqual(spoiled);
  expect((await restores()).length).toBe(historyAtStart.restores);

  // With it: the volumes are the backup's again, byte for byte, with their modes, owners and times.
  const { status, body } = await restoreThroughApi({ node: NODE, passphrase, dryRun: 'false', backupId: backup.id, confirmOutage: 'true' });
  expect(status, JSON.stringify(body)).toBe(200);
  expect(body).toMatchObject({ status: 'succeeded', dryRun: false, error: null, target: { hostname: NODE }, source: { kind: 'backup', backupId: backup.id } });
  expect(await volumeHashes()).toEqual(original);
  expect([...body.stoppedContainers].sort()).toEqual(await expectControlPlaneRestarted(afterBackup));

  // The history: the backup, the restore, and the safety backup the restore took first (of the spoiled volumes), all succeeded.
  const [latest] = await restores();
  expect(latest).toMatchObject({ id: body.id, status: 'succeeded', target: { hostname: NODE }, safetyBackupId: body.safetyBackupId });
  const safety = await apiJson<Backup & { note: string }>(`/api/v1/backups/${body.safetyBackupId}`);
  expect(safety).toMatchObject({ kind: 'pre-restore', status: 'succeeded', note: `before restore ${body.id}`, node: { hostname: NODE } });
  expect((await backups()).filter((b) => [backup.id, safety.id].includes(b.id)).map((b) => [b.id, b.status])).toEqual([
    [safety.id, 'succeeded'],
    [backup.id, 'succeeded'],
  ]);
  expect((await backups()).length).toBe(historyAtStart.backups + 2);
  expect((await restores()).length).toBe(historyAtStart.restores + 1);
});
