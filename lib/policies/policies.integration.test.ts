// Policies against the lab: a schedule that fires with two server processes on one data directory, "all
// controllers" and rotation keeping the majority, a run the quorum guard refuses recorded as skipped, and
// retention over a set of history rows.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpgTarList, tempDir } from '@/e2e/support/archive';
import { gpgKeyPair, type GpgKeyPair } from '@/e2e/support/gpg-key';
import { docker, ucpStates } from '@/e2e/support/lab';
import { prepareDataDir, startServer, type TestServer } from '@/e2e/support/server';
import { until } from '@/e2e/support/until';

type Run = { id: string; scheduledFor: string; trigger: string; state: string; message: string | null; backups: { id: string; nodeHostname: string; status: string }[] };
type Backup = {
  id: string;
  status: string;
  kind: string;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
  policy: { id: string; name: string; runId: string } | null;
};
type Timed = Backup & { node: { hostname: string }; containersStartedAt: string | null; verification: { ok: boolean; message: string } | null; pruned: { by: string } | null };

const CONTROLLERS = ['ctrl-1', 'ctrl-2', 'ctrl-3'];

describe('policies', () => {
  let dataDir: string;
  let first: TestServer;
  let second: TestServer;
  let key: GpgKeyPair;

  async function api<T>(server: TestServer, route: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
    const response = await fetch(`${server.url}${route}`, { ...init, headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json', ...init.headers } });
    return { status: response.status, body: response.status === 204 ? (null as T) : ((await response.json()) as T) };
  }

  async function createPolicy(body: Record<string, unknown>) {
    const created = await api<{ id: string; nextRuns: string[] }>(first, '/api/v1/policies', {
      method: 'POST',
      body: JSON.stringify({ timeZone: 'UTC', scope: 'root-ca', keys: [key.fingerprint], ...body }),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body;
  }

  /** Run now, then wait for the run to end. */
  async function runNow(policyId: string): Promise<Run> {
    const started = await api<Run>(first, `/api/v1/policies/${policyId}/runs`, { method: 'POST' });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    return until(
      async () => {
        const { body } = await api<{ runs: Run[] }>(first, `/api/v1/policies/${policyId}/runs`);
        const run = body.runs.find((r) => r.id === started.body.id)!;
        return run.state === 'running' ? null : run;
      },
      'the run to end',
      180_000,
    );
  }

  const backup = async (id: string) => (await api<Timed>(first, `/api/v1/backups/${id}`)).body;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-policies-'));
    key = await gpgKeyPair('Policy Operator <policies@example.org>');
    const token = await prepareDataDir(dataDir);
    // Two server processes on one data directory, each with its scheduler ticking every second.
    [first, second] = await Promise.all([startServer(dataDir, token, { LIFEBOAT_SCHEDULER_TICK_MS: '1000' }), startServer(dataDir, token, { LIFEBOAT_SCHEDULER_TICK_MS: '1000' })]);
    const imported = await api(first, '/api/v1/keys', { method: 'POST', body: JSON.stringify({ armored: key.publicKey }) });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
  });
  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    key?.remove();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a schedule of every minute fires once, though two processes tick; the archive opens with the private key alone', async () => {
    const policy = await createPolicy({ name: 'every minute', cron: '* * * * *', target: 'node', node: 'ctrl-2' });
    expect(policy.nextRuns).toHaveLength(3);
    const run = await until(
      async () => (await api<{ runs: Run[] }>(first, `/api/v1/policies/${policy.id}/runs`)).body.runs.find((r) => r.state !== 'running') ?? null,
      'the first scheduled run to end',
      150_000,
    );
    // Disabled at once, so that no later minute runs while the rest is checked.
    const saved = await api<{ enabled: boolean }>(first, `/api/v1/policies/${policy.id}`, {
      method: 'PUT',
      body: JSON.stringify({ name: 'every minute', cron: '* * * * *', timeZone: 'UTC', target: 'node', node: 'ctrl-2', scope: 'root-ca', keys: [key.fingerprint], enabled: false }),
    });
    expect(saved.body.enabled).toBe(false);

    expect(run).toMatchObject({ trigger: 'schedule', state: 'succeeded' });
    expect(new Date(run.scheduledFor).getUTCSeconds()).toBe(0);
    expect(run.backups).toEqual([{ id: expect.any(String), nodeHostname: 'ctrl-2', status: 'succeeded' }]);
    // Both processes see one run for that minute, and it made one backup.
    const seen = await Promise.all(
      [first, second].map(async (server) =>
        (await api<{ runs: Run[] }>(server, `/api/v1/policies/${policy.id}/runs`)).body.runs.filter((r) => r.scheduledFor === run.scheduledFor),
      ),
    );
    expect(seen.map((runs) => runs.length)).toEqual([1, 1]);
    const history = (await api<{ backups: Backup[] }>(second, '/api/v1/backups')).body.backups.filter((b) => b.policy?.runId === run.id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ kind: 'scheduled', status: 'succeeded', policy: { id: policy.id, name: 'every minute' } });
    // Verified by the run with the session key it held: no private key was given to Lifeboat.
    expect((await backup(history[0].id)).verification).toMatchObject({ ok: true, message: expect.stringMatching(/^verified: 2 volumes/) });

    const file = path.join(tempDir('lifeboat-policy-'), 'scheduled.tar.gpg');
    const archive = await fetch(`${first.url}/api/v1/backups/${history[0].id}/archive`, { headers: { Authorization: `Bearer ${first.token}` } });
    await pipeline(Readable.fromWeb(archive.body as import('node:stream/web').ReadableStream<Uint8Array>), fs.createWriteStream(file));
    const listing = await gpgTarList(file, key.passphrase, key.home);
    expect(listing).toContain('./ucp-client-root-ca/cert.pem');
  });

  it('"all controllers" backs them up one after another: each stop window ends before the next begins', async () => {
    const policy = await createPolicy({ name: 'all of them', cron: '0 3 * * *', target: 'all-controllers', enabled: false });
    const run = await runNow(policy.id);
    expect(run.state, run.message ?? '').toBe('succeeded');
    expect(run.backups.map((b) => [b.nodeHostname, b.status])).toEqual(CONTROLLERS.map((c) => [c, 'succeeded']));
    const timed = await Promise.all(run.backups.map((b) => backup(b.id)));
    for (let i = 1; i < timed.length; i++) {
      expect(Date.parse(timed[i].startedAt)).toBeGreaterThanOrEqual(Date.parse(timed[i - 1].containersStartedAt!));
    }
    for (const c of CONTROLLERS) expect((await ucpStates(c)).every((s) => s === 'running')).toBe(true);
  });

  it('rotation backs up the next controller at each run, and a controller the guard refuses is skipped with the reason', async () => {
    const policy = await createPolicy({ name: 'rotation', cron: '0 2 * * *', target: 'rotation', enabled: false });
    const runs = [await runNow(policy.id), await runNow(policy.id)];
    expect(runs.map((r) => r.backups.map((b) => [b.nodeHostname, b.status]))).toEqual([[['ctrl-1', 'succeeded']], [['ctrl-2', 'succeeded']]]);

    // With ctrl-2's UCP broken, backing up ctrl-3 would leave one of three controllers running.
    await docker('ctrl-2', 'stop', 'ucp-kv');
    try {
      await until(async () => ((await ucpStates('ctrl-2')).some((s) => s !== 'running') ? true : null), 'ctrl-2 to be down');
      const ctrl3Before = await ucpStates('ctrl-3');
      const skipped = await runNow(policy.id);
      expect(skipped).toMatchObject({ state: 'skipped' });
      expect(skipped.backups).toEqual([{ id: expect.any(String), nodeHostname: 'ctrl-3', status: 'skipped' }]);
      const row = await backup(skipped.backups[0].id);
      expect(row.error).toMatch(/^refused: 3 controllers tolerate 1 down, and ctrl-2 \(down\) already is/);
      expect(skipped.message).toContain(row.error);
      expect(await ucpStates('ctrl-3')).toEqual(ctrl3Before);
    } finally {
      await docker('ctrl-2', 'start', 'ucp-kv');
    }
    // The rotation moved on: the next run is ctrl-1's.
    const next = await runNow(policy.id);
    expect(next.backups.map((b) => b.nodeHostname)).toEqual(['ctrl-1']);
  });

  it('retention prunes per node only once its preview is confirmed: the files go, the rows stay marked pruned, the newest good backups stay', async () => {
    const body = { name: 'retention', cron: '0 4 * * *', timeZone: 'UTC', target: 'all-controllers', scope: 'root-ca', keys: [key.fingerprint], enabled: false };
    const policy = await createPolicy(body);
    // History rows of this policy, each with an archive file in the store: two nodes, nightly, older ones first.
    const database = new Database(path.join(dataDir, 'lifeboat.db'));
    const sample = database.prepare('SELECT startedAt FROM Backup LIMIT 1').get() as { startedAt: string | number };
    const asStored = (at: Date) => (typeof sample.startedAt === 'number' ? at.getTime() : at.toISOString());
    const rows = [
      ['ret-a-0', 'ctrl-a', 0, null],
      ['ret-a-1', 'ctrl-a', 1, 0],
      ['ret-a-2', 'ctrl-a', 2, 1],
      ['ret-a-3', 'ctrl-a', 3, 1],
      ['ret-a-4', 'ctrl-a', 4, 1],
      ['ret-b-0', 'ctrl-b', 0, 1],
      ['ret-b-1', 'ctrl-b', 1, 1],
    ] as const;
    const insert = database.prepare(
      `INSERT INTO Backup (id, kind, nodeHostname, volumes, scope, requestedBy, status, phase, startedAt, finishedAt, storedAt, verifiedAt, verifyOk, fileName, policyId, policyName)
       VALUES (?, 'scheduled', ?, '["ucp-client-root-ca"]', 'root-ca', 'test', 'succeeded', 'encrypting', ?, ?, ?, ?, ?, ?, ?, 'retention')`,
    );
    for (const [id, node, daysAgo, verified] of rows) {
      const at = asStored(new Date(Date.now() - daysAgo * 86_400_000 - 3_600_000));
      insert.run(id, node, at, at, at, verified === null ? null : at, verified, `${id}.tar.gpg`, policy.id);
      fs.writeFileSync(path.join(dataDir, 'archives', `${id}.tar.gpg`), 'an archive');
    }
    database.close();

    const put = (extra: Record<string, unknown>) =>
      api<{ error?: { message: string }; pruned?: number }>(first, `/api/v1/policies/${policy.id}`, { method: 'PUT', body: JSON.stringify({ ...body, ...extra }) });
    const previewed = await put({ keepLast: 1 });
    expect(previewed.status).toBe(409);
    const message = previewed.body.error!.message;
    const iso = '\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z';
    expect(message).toMatch(
      new RegExp(
        `^this retention prunes 4 archive\\(s\\) now: ctrl-a ${iso} \\(its verification failed\\), ctrl-a ${iso} \\(outside the retention rules\\), ctrl-a ${iso} \\(outside the retention rules\\), ctrl-b ${iso} \\(outside the retention rules\\); send the same body with "confirmPrune": "[0-9a-f]{32}" to save it$`,
      ),
    );
    // Nothing changed yet: every file is there, the policy keeps everything.
    for (const [id] of rows) expect(fs.existsSync(path.join(dataDir, 'archives', `${id}.tar.gpg`))).toBe(true);
    expect((await api<{ keepLast: number | null }>(first, `/api/v1/policies/${policy.id}`)).body.keepLast).toBeNull();

    const token = /"confirmPrune": "([0-9a-f]+)"/.exec(message)![1];
    expect((await put({ keepLast: 1, confirmPrune: 'stale' })).status).toBe(409);
    const saved = await put({ keepLast: 1, confirmPrune: token });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.pruned).toBe(4);

    const kept = ['ret-a-0', 'ret-a-2', 'ret-b-0'];
    for (const [id] of rows) {
      const row = await backup(id);
      const pruned = !kept.includes(id);
      expect([id, fs.existsSync(path.join(dataDir, 'archives', `${id}.tar.gpg`)), row.pruned?.by ?? null]).toEqual([id, !pruned, pruned ? 'retention' : null]);
    }
  });

  it('runs missed while no server ran: one policy makes up the newest once, the other records it skipped; the metrics give each next run', async () => {
    // Due 30 minutes past each hour, as seen from now: the newest due time is long past the grace.
    const minute = new Date(Date.now() - 30 * 60_000).getUTCMinutes();
    const common = { cron: `${minute} * * * *`, target: 'node', node: 'ctrl-3', enabled: true };
    const [makeUp, skip] = [await createPolicy({ ...common, name: 'missed, made up' }), await createPolicy({ ...common, name: 'missed, skipped', missedRuns: 'skip' })];
    // As if no server had run for three hours since they were saved.
    const database = new Database(path.join(dataDir, 'lifeboat.db'));
    const sample = database.prepare('SELECT scheduleFrom FROM Policy LIMIT 1').get() as { scheduleFrom: string | number };
    const threeHoursAgo = new Date(Date.now() - 3 * 3600_000);
    database
      .prepare('UPDATE Policy SET scheduleFrom = ? WHERE id IN (?, ?)')
      .run(typeof sample.scheduleFrom === 'number' ? threeHoursAgo.getTime() : threeHoursAgo.toISOString(), makeUp.id, skip.id);
    database.close();

    const ended = (id: string) =>
      until(async () => (await api<{ runs: Run[] }>(first, `/api/v1/policies/${id}/runs`)).body.runs.find((r) => r.state !== 'running') ?? null, 'a missed run to end', 120_000);
    const [madeUp, skipped] = [await ended(makeUp.id), await ended(skip.id)];
    expect(madeUp).toMatchObject({ trigger: 'missed', state: 'succeeded', message: expect.stringMatching(/^2 earlier runs were missed while no server ran; ctrl-3: succeeded$/) });
    expect(madeUp.backups).toEqual([{ id: expect.any(String), nodeHostname: 'ctrl-3', status: 'succeeded' }]);
    expect(skipped).toMatchObject({
      trigger: 'missed',
      state: 'skipped',
      message: expect.stringMatching(/^missed: no Lifeboat server ran at .*, and this policy skips missed runs; 2 earlier runs were missed/),
    });
    expect((await backup(skipped.backups[0].id)).status).toBe('skipped');
    // Each made up or skipped once: the next tick owes nothing more.
    for (const id of [makeUp.id, skip.id]) expect((await api<{ runs: Run[] }>(second, `/api/v1/policies/${id}/runs`)).body.runs).toHaveLength(1);

    const metrics = await fetch(`${second.url}/api/v1/metrics`, { headers: { Authorization: `Bearer ${second.token}` } });
    const nextRuns = parsePrometheusTextFormat(await metrics.text()).find((f) => f.name === 'lifeboat_policy_next_run_timestamp_seconds')!;
    const byPolicy = Object.fromEntries(nextRuns.metrics.map((m) => [m.labels!.policy, Number(m.value)]));
    const [expected] = (await api<{ nextRuns: string[] }>(first, `/api/v1/policies/${makeUp.id}`)).body.nextRuns;
    expect(byPolicy['missed, made up']).toBe(Date.parse(expected) / 1000);
    // Disabled policies have no next run.
    expect(byPolicy['all of them']).toBeUndefined();
    for (const id of [makeUp.id, skip.id]) expect((await api(first, `/api/v1/policies/${id}`, { method: 'DELETE' })).status).toBe(204);
  });
});
