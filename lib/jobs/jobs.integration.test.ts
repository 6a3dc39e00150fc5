// Durable jobs against the lab: leases across processes, an owner killed or stopped, two processes at once.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { gpgTarList } from '@/e2e/support/archive';
import { createBulkVolume, removeVolume } from '@/e2e/support/bulk-volume';
import { dockerJsonLines, lab, ucpStates } from '@/e2e/support/lab';
import { prepareDataDir, startServer, type TestServer } from '@/e2e/support/server';
import { until } from '@/e2e/support/until';
import { startBackup } from '@/lib/backup/backup-run';
import { getBackup } from '@/lib/history/backup-history';
import { liveProgress } from '@/lib/jobs/job-progress';

const run = promisify(execFile);
const passphrase = 'durable jobs passphrase';
const NODE = 'ctrl-2';
const BULK = 'lifeboat-jobs-bulk';
/** Tests that start servers of their own: each start builds nothing, but takes seconds on a busy machine. */
const SERVER_TEST_MS = 300_000;

async function api(server: { url: string; token: string }, route: string, init: RequestInit = {}) {
  return fetch(`${server.url}${route}`, { ...init, headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json', ...init.headers } });
}

/** The shared test server: the second process on the tests' data directory (this one is the first). */
const testServer = () => ({ url: process.env.LIFEBOAT_BASE_URL!, token: process.env.LIFEBOAT_API_TOKEN! });

/** Starts a backup through a server's API and returns its id once the server answered with the headers. */
async function backupThrough(server: { url: string; token: string }, body: Record<string, unknown>) {
  const response = await api(server, '/api/v1/backups', { method: 'POST', body: JSON.stringify({ passphrase, ...body }) });
  if (response.status !== 200) return { refused: (await response.json()).error.message as string };
  response.body!.cancel().catch(() => {});
  return { id: response.headers.get('x-backup-id')! };
}

async function untilCopying(server: { url: string; token: string }, id: string) {
  await until(async () => {
    const record = await (await api(server, `/api/v1/backups/${id}`)).json();
    return record.progress?.state === 'copying' && record.progress.bytesRead > 0 ? true : null;
  }, `backup ${id} to be copying`);
}

function backupRow(dataDir: string, id: string) {
  const database = new Database(path.join(dataDir, 'lifeboat.db'), { readonly: true });
  try {
    const manifestParts = 'SELECT count(*) FROM ManifestPart WHERE backupId = b.id';
    return database
      .prepare(
        `SELECT b.status, b.error, b.warning, b.containersStartedAt, j.releasedAt, (${manifestParts}) AS manifestParts FROM Backup b JOIN Job j ON j.id = b.id WHERE b.id = ?`,
      )
      .get(id) as {
      status: string;
      error: string;
      warning: string | null;
      containersStartedAt: unknown;
      releasedAt: unknown;
      manifestParts: number;
    };
  } finally {
    database.close();
  }
}

const allRunning = async () => ((await ucpStates(NODE)).every((s) => s === 'running') ? true : null);
const noHelperLeft = async (id: string) => ((await dockerJsonLines(NODE, 'ps', '-a', '--filter', `label=com.lifeboat.helper=${id}`)).length === 0 ? true : null);
const noTemporaryFiles = (dataDir: string) =>
  ['archives', 'spool'].flatMap((d) => fs.readdirSync(path.join(dataDir, d)).filter((n) => n.endsWith('.part') || n.endsWith('.spool')));

describe('two processes on one data directory', () => {
  beforeAll(() => createBulkVolume(NODE, BULK, 300));
  afterAll(() => removeVolume(NODE, BULK));

  it('never back up one node twice: the node lease holds across processes', async () => {
    const [here, there] = await Promise.allSettled([
      startBackup({ node: NODE, passphrase, volumes: ['ucp-kv', BULK], requestedBy: 'tests' }),
      backupThrough(testServer(), { node: NODE }),
    ]);
    await bothEnded(here, there);
    const accepted = [here.status === 'fulfilled', there.status === 'fulfilled' && 'id' in there.value].filter(Boolean);
    expect(accepted).toHaveLength(1);
    const refusal = here.status === 'rejected' ? String(here.reason.message) : there.status === 'fulfilled' && 'refused' in there.value ? there.value.refused : '';
    expect(refusal).toMatch(new RegExp(`^${NODE} is already being backed up \\(\\w+\\)$`));
  });

  it('a download from one process follows the archive another process is writing, to its last byte', async () => {
    const started = await startBackup({ node: NODE, passphrase, volumes: ['ucp-kv', BULK], requestedBy: 'tests' });
    const response = await api(testServer(), `/api/v1/backups/${started.id}/archive`);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const chunks: Uint8Array[] = [];
    // The first bytes arrive while this process is still copying or encrypting: the other one follows the file.
    do chunks.push((await reader.read()).value ?? new Uint8Array());
    while (chunks.reduce((n, c) => n + c.length, 0) === 0);
    expect((await getBackup(started.id)).stored).toBe(false);
    for (let part = await reader.read(); !part.done; part = await reader.read()) chunks.push(part.value);
    await started.done;
    const backup = await getBackup(started.id);
    expect(backup.status).toBe('succeeded');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-follow-'));
    const file = path.join(dir, 'followed.tar.gpg');
    fs.writeFileSync(file, Buffer.concat(chunks));
    expect(createHash('sha256').update(fs.readFileSync(file)).digest('hex')).toBe(backup.sha256);
    expect(await gpgTarList(file, passphrase)).toContain(`./${BULK}/part1`);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('never stop two controllers of three at once: the quorum reservation holds across processes', async () => {
    // This process's backup holds its reservation from its start to UCP running again: the other
    // server's, asked meanwhile, is refused. (Two asked at the same moment: backup.integration.test.ts.)
    const here = await startBackup({ node: NODE, passphrase, volumes: ['ucp-kv', BULK], requestedBy: 'tests' });
    let there: { id: string } | { refused: string } | null = null;
    try {
      there = await backupThrough(testServer(), { node: 'ctrl-1' });
    } finally {
      await here.done;
      if (there && 'id' in there) await bothEnded({ status: 'rejected', reason: null }, { status: 'fulfilled', value: there });
    }
    expect(there).toEqual({ refused: expect.stringMatching(/^refused: 3 controllers tolerate 1 down, and ctrl-2 \(being backed up or restored\) already is/) });
  });
});

/** Waits for whichever of the two backups was accepted, so that a failed assertion leaves no job behind. */
async function bothEnded(here: PromiseSettledResult<{ done: Promise<unknown> }>, there: PromiseSettledResult<{ id: string } | { refused: string }>) {
  if (here.status === 'fulfilled') await here.value.done;
  const other = there.status === 'fulfilled' && 'id' in there.value ? there.value.id : null;
  if (other) await until(async () => ((await (await api(testServer(), `/api/v1/backups/${other}`)).json()).running ? null : true));
}

describe('watchdogs', () => {
  // Big enough that the copy, which only spools while UCP is stopped, is still running when the engine is paused.
  beforeAll(() => createBulkVolume(NODE, BULK, 600));
  afterAll(() => removeVolume(NODE, BULK));

  it('an engine paused mid-copy: the backup fails naming the stall within the deadline, and UCP runs again once the engine resumes', async () => {
    process.env.LIFEBOAT_STREAM_IDLE_MS = '3000';
    // Calls to the paused engine (starting UCP again, removing the helper) then fail within 5 s, not 30.
    process.env.LIFEBOAT_ENGINE_WORK_TIMEOUT_MS = '5000';
    try {
      const started = await startBackup({ node: NODE, passphrase, volumes: ['ucp-kv', BULK], requestedBy: 'tests' });
      // Paused once the bulk volume's bytes flow: before the engine answers, the request's own deadline would be the failure.
      let atSwitch: number | null = null;
      await until(async () => {
        const progress = await liveProgress(started.id);
        if (progress?.volume !== BULK) return null;
        atSwitch ??= progress.bytesRead ?? 0;
        return (progress.bytesRead ?? 0) > atSwitch ? true : null;
      }, "the bulk volume's bytes to flow");
      await lab('pause', NODE);
      try {
        await started.done;
        const backup = await getBackup(started.id);
        expect(backup.status).toBe('failed');
        expect(backup.error).toBe(`${NODE}: reading volume ${BULK}: no data for 3 s: the engine stalled`);
        expect(backup.warning).toMatch(/^not started again yet: .*Lifeboat keeps trying\.$/);
        expect(backup.stored).toBe(false);
      } finally {
        await lab('resume', NODE);
      }
      await until(allRunning, `UCP on ${NODE} to run again`);
      const back = await until(async () => {
        const backup = await getBackup(started.id);
        return backup.containersStartedAt ? backup : null;
      }, 'the backup to record its containers started');
      expect(back.warning).toBe('the containers started again once the engine came back');
      expect(noTemporaryFiles(process.env.LIFEBOAT_DATA_DIR!)).toEqual([]);
    } finally {
      delete process.env.LIFEBOAT_STREAM_IDLE_MS;
      delete process.env.LIFEBOAT_ENGINE_WORK_TIMEOUT_MS;
    }
  }, 240_000);
  it('a stop window past LIFEBOAT_MAX_DOWNTIME_S: the job aborts, UCP starts again, and the failure names the limit', async () => {
    process.env.LIFEBOAT_MAX_DOWNTIME_S = '0.3';
    try {
      const started = await startBackup({ node: NODE, passphrase, volumes: ['ucp-kv', BULK], requestedBy: 'tests' });
      await started.done;
      const backup = await getBackup(started.id);
      expect(backup).toMatchObject({
        status: 'failed',
        stored: false,
        error: 'the containers were stopped for 0.3 s, the most allowed (LIFEBOAT_MAX_DOWNTIME_S): the job was stopped and its containers started again',
      });
      expect(backup.downtimeMs).toBeGreaterThanOrEqual(300);
      expect((await ucpStates(NODE)).every((s) => s === 'running')).toBe(true);
      expect(noTemporaryFiles(process.env.LIFEBOAT_DATA_DIR!)).toEqual([]);
    } finally {
      delete process.env.LIFEBOAT_MAX_DOWNTIME_S;
    }
  });
});

describe('an owner that dies or is stopped in a stop window', () => {
  // Each test has a data directory of its own, shared by the servers it starts; their log shows when it fails.
  let dataDir: string;
  let token: string;
  const servers: TestServer[] = [];
  beforeAll(() => createBulkVolume(NODE, BULK, 300));
  afterAll(() => removeVolume(NODE, BULK));
  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-jobs-'));
    token = await prepareDataDir(dataDir);
    const logs = () => fs.readdirSync(dataDir).filter((name) => /^server-\d+\.log$/.test(name));
    onTestFailed(() =>
      console.error(
        `servers' logs:\n${logs()
          .map((name) => fs.readFileSync(path.join(dataDir, name), 'utf8'))
          .join('\n')}`,
      ),
    );
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'killed with -9 while a second process runs: the second takes the job over, UCP runs within 60 s, the row says interrupted',
    async () => {
      const owner = await startServer(dataDir, token);
      const survivor = await startServer(dataDir, token);
      servers.push(owner, survivor);
      const started = await backupThrough(owner, { node: NODE, volumes: ['ucp-kv', BULK] });
      expect(started).toHaveProperty('id');
      const id = (started as { id: string }).id;
      await untilCopying(owner, id);
      owner.process.kill('SIGKILL');
      await new Promise((resolve) => owner.process.once('exit', resolve));
      expect((await ucpStates(NODE)).some((s) => s !== 'running')).toBe(true);

      const killedAt = Date.now();
      await until(allRunning, `UCP on ${NODE} to run again`);
      expect(Date.now() - killedAt).toBeLessThan(60_000);
      const record = await until(async () => {
        const r = await (await api(survivor, `/api/v1/backups/${id}`)).json();
        return r.running ? null : r;
      });
      expect(record).toMatchObject({ status: 'interrupted', stored: false, error: 'interrupted: the server stopped during the "copying" step' });
      await until(() => (backupRow(dataDir, id).releasedAt ? true : null), 'the lease to be released');
      await until(() => noHelperLeft(id));
      expect(noTemporaryFiles(dataDir)).toEqual([]);
      await survivor.stop();
    },
    SERVER_TEST_MS,
  );

  it(
    'an owner that falls silent (SIGSTOP) is taken over after LIFEBOAT_JOB_DEAD_AFTER_MS; woken up, it is fenced and changes nothing',
    async () => {
      const quick = { LIFEBOAT_JOB_HEARTBEAT_MS: '500', LIFEBOAT_JOB_DEAD_AFTER_MS: '4000' };
      const owner = await startServer(dataDir, token, quick);
      const survivor = await startServer(dataDir, token, quick);
      servers.push(owner, survivor);
      const started = await backupThrough(owner, { node: NODE, volumes: ['ucp-kv', BULK] });
      const id = (started as { id: string }).id;
      await untilCopying(owner, id);
      owner.process.kill('SIGSTOP');
      try {
        await until(allRunning, `the survivor to start UCP on ${NODE} again`);
        const taken = await until(() => {
          const row = backupRow(dataDir, id);
          return row.releasedAt ? row : null;
        }, 'the survivor to release the job');
        expect(taken).toMatchObject({
          status: 'interrupted',
          error: `interrupted: its server process (pid ${owner.process.pid}) stopped answering during the "copying" step`,
        });
      } finally {
        owner.process.kill('SIGCONT');
      }
      // Woken, the old owner finds itself fenced; stopped, it has had every chance to act.
      await owner.stop();
      const after = backupRow(dataDir, id);
      expect(after.status).toBe('interrupted');
      expect(after.error).toMatch(/stopped answering during the "copying" step$/);
      expect((await ucpStates(NODE)).every((s) => s === 'running')).toBe(true);
      expect(noTemporaryFiles(dataDir)).toEqual([]);
      await survivor.stop();
    },
    SERVER_TEST_MS,
  );

  it(
    'SIGTERM in the stop window: the server starts UCP again before it exits, and records the job as interrupted',
    async () => {
      const owner = await startServer(dataDir, token);
      servers.push(owner);
      const started = await backupThrough(owner, { node: NODE, volumes: ['ucp-kv', BULK] });
      const id = (started as { id: string }).id;
      await untilCopying(owner, id);
      await owner.stop();
      // No other process runs: what is true now, the stopped server did.
      expect((await ucpStates(NODE)).every((s) => s === 'running')).toBe(true);
      expect(backupRow(dataDir, id)).toMatchObject({ status: 'interrupted', error: 'interrupted: the server was shut down while the job ran; its containers were started again' });
      expect(backupRow(dataDir, id).releasedAt).not.toBeNull();
      expect(await noHelperLeft(id)).toBe(true);
      expect(noTemporaryFiles(dataDir)).toEqual([]);
    },
    SERVER_TEST_MS,
  );

  it(
    'SIGTERM while the engine is down and UCP stopped: the job keeps the node, and the next server starts UCP once the engine answers',
    async () => {
      const owner = await startServer(dataDir, token, { LIFEBOAT_SHUTDOWN_WAIT_S: '2' });
      servers.push(owner);
      const started = await backupThrough(owner, { node: NODE, volumes: ['ucp-kv', BULK] });
      const id = (started as { id: string }).id;
      await untilCopying(owner, id);
      await lab('kill', NODE);
      try {
        await until(() => {
          const row = backupRow(dataDir, id);
          return row.status === 'failed' && row.warning?.startsWith('not started again yet') ? true : null;
        }, 'the job to fail, and to find its containers will not start');
        await owner.stop();
        // The server gave up waiting, not on the node: the job still holds it.
        expect(backupRow(dataDir, id)).toMatchObject({ status: 'failed', containersStartedAt: null, releasedAt: null });
        // The next server takes the job over while the engine is still down, and keeps trying.
        servers.push(await startServer(dataDir, token));
      } finally {
        await lab('start', NODE);
      }
      await until(allRunning, `the next server to start UCP on ${NODE} again`);
      const row = await until(() => {
        const r = backupRow(dataDir, id);
        return r.releasedAt ? r : null;
      }, 'the next server to release the job');
      expect(row).toMatchObject({ status: 'failed', warning: 'the containers started again when Lifeboat took the job over (the server stopped)' });
      expect(row.containersStartedAt).not.toBeNull();
      await until(() => noHelperLeft(id));
      expect(noTemporaryFiles(dataDir)).toEqual([]);
    },
    SERVER_TEST_MS,
  );
});

describe('a data directory that fills up', () => {
  let dataDir: string;
  let server: TestServer;
  const filler = () => path.join(dataDir, 'filler');
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-filling-'));
    // Room for the check (twice the volumes, and the margin) and the job's files, not for the filler too.
    await run('mount', ['-t', 'tmpfs', '-o', 'size=640m', 'tmpfs', dataDir]);
    await createBulkVolume(NODE, BULK, 200);
    server = await startServer(dataDir, await prepareDataDir(dataDir));
  });
  afterAll(async () => {
    await server?.stop();
    await removeVolume(NODE, BULK);
    await run('umount', [dataDir]).catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Fills what is left of the data directory; the database cannot write either until it is freed. */
  const fill = () => run('sh', ['-c', `dd if=/dev/zero of=${filler()} bs=1M 2>/dev/null; true`]);

  async function expectFailedCleanly(id: string, error: RegExp) {
    await until(allRunning, `UCP on ${NODE} to run`);
    fs.rmSync(filler());
    const record = await until(async () => {
      const r = await (await api(server, `/api/v1/backups/${id}`)).json();
      return r.running ? null : r;
    }, 'the failure to be recorded once there is room again');
    expect(record).toMatchObject({ status: 'failed', stored: false, error: expect.stringMatching(error) });
    expect(record.error).toMatch(/free some space or delete old archives$/);
    await until(() => (backupRow(dataDir, id).releasedAt ? true : null), 'the lease to be released');
    await until(() => (backupRow(dataDir, id).manifestParts === 0 ? true : null), 'its manifest to be discarded');
    expect(noTemporaryFiles(dataDir)).toEqual([]);
    expect(fs.readdirSync(path.join(dataDir, 'archives'))).toEqual([]);
    await until(() => noHelperLeft(id));
  }

  it(
    'while UCP is stopped and the copy is spooled: the backup fails, UCP runs, nothing is left behind',
    async () => {
      const started = await backupThrough(server, { node: NODE, volumes: ['ucp-kv', BULK] });
      const id = (started as { id: string }).id;
      await until(async () => {
        const record = await (await api(server, `/api/v1/backups/${id}`)).json();
        return record.progress?.state === 'copying' && record.progress.bytesRead > 0 ? true : null;
      }, 'the copy to run while UCP is stopped');
      await fill();
      // Whichever write meets the full disk first: the spool's, or the archive's if the copy ended meanwhile.
      await expectFailedCleanly(id, new RegExp(`^the data directory ran out of room while (spooling ${BULK}|writing the archive): nothing was kept;`));
    },
    SERVER_TEST_MS,
  );
});
