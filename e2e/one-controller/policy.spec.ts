import { apiFetch, apiJson } from '../support/api';
import { gpgKeyPair, type GpgKeyPair } from '../support/gpg-key';
import { until } from '../support/until';
import { containers, expectControlPlaneRestarted, NODE } from './control-plane';
import { expect, test } from './fixtures';

type Run = { id: string; state: string; message: string | null; backups: { id: string; nodeHostname: string; status: string }[] };

let pair: GpgKeyPair;
test.beforeAll(async () => {
  pair = await gpgKeyPair('One Controller Policy <one-policy@example.org>');
});
test.afterAll(() => pair.remove());

async function runNow(policyId: string): Promise<Run> {
  const started = (await (await apiFetch(`/api/v1/policies/${policyId}/runs`, { method: 'POST' })).json()) as Run;
  return until(
    async () => {
      const { runs } = await apiJson<{ runs: Run[] }>(`/api/v1/policies/${policyId}/runs`);
      const run = runs.find((r) => r.id === started.id)!;
      return run.state === 'running' ? null : run;
    },
    'the run to end',
    120_000,
  );
}

test('on a one-controller cluster a policy without the outage consent skips its runs and says why, stopping nothing; with it, it runs', async () => {
  const imported = await apiFetch('/api/v1/keys', { method: 'POST', body: JSON.stringify({ armored: pair.publicKey }) });
  expect(imported.status).toBe(201);
  const body = { name: 'one controller nightly', cron: '0 2 * * *', timeZone: 'UTC', target: 'all-controllers', scope: 'root-ca', keys: [pair.fingerprint], enabled: false };
  const created = await apiFetch('/api/v1/policies', { method: 'POST', body: JSON.stringify(body) });
  expect(created.status).toBe(201);
  const policy = (await created.json()) as { id: string };

  const atStart = await containers();
  const skipped = await runNow(policy.id);
  expect(skipped).toMatchObject({ state: 'skipped', backups: [{ nodeHostname: NODE, status: 'skipped' }] });
  expect(skipped.message).toBe(
    `${NODE}: skipped (this cluster has 1 controller: backing up ${NODE} stops the control plane, and the policy was saved without the outage consent (edit it and confirm that its runs stop the control plane))`,
  );
  expect(await containers()).toEqual(atStart);

  const consented = await apiFetch(`/api/v1/policies/${policy.id}`, { method: 'PUT', body: JSON.stringify({ ...body, outageConsent: true }) });
  expect(consented.status).toBe(200);
  const ran = await runNow(policy.id);
  expect(ran).toMatchObject({ state: 'succeeded', backups: [{ nodeHostname: NODE, status: 'succeeded' }] });
  await expectControlPlaneRestarted(atStart);

  expect((await apiFetch(`/api/v1/policies/${policy.id}`, { method: 'DELETE' })).status).toBe(204);
  expect((await apiFetch(`/api/v1/keys/${((await imported.json()) as { id: string }).id}`, { method: 'DELETE' })).status).toBe(204);
});
