// Lifeboat's side: a server of its own reaching the lab's engines over one transport, driven through the API.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { prepareDataDir, startServer, type TestServer } from '../e2e/support/server';
import { NODE, PASSPHRASE, peakRss, rssOf, timed, UCP_VOLUME } from './bench-lab';

const exec = promisify(execFile);

export type Transport = 'unix' | 'tls';
/** Where a job's time went (the records carry it once the pipelines report it). */
export type Timings = Record<string, number> | undefined;
type Job = { id: string; status: string; error: unknown; downtimeMs: number | null; stoppedContainers: string[]; timings?: Timings };
export type BackupRecord = Job & { sha256: string; encryptedBytes: number };
export type RestoreRecord = Job & { safetyBackupId: string | null };

export type Lifeboat = {
  transport: Transport;
  server: TestServer;
  /** Resident memory once warmed up (one small backup, and a small restore for the restore benchmark) and idle. */
  idleRss: number;
  /** The containers a backup or restore of ctrl-3's UCP volumes stops: the CLI stops the same. */
  ucpContainers: string[];
};

/** A server on `dataDir` (made, or reused with its endpoints switched to `transport`), warmed up. */
export async function startLifeboat(dataDir: string, transport: Transport, warmUp: 'backup' | 'restore'): Promise<Lifeboat> {
  fs.mkdirSync(dataDir, { recursive: true });
  const server = await startServer(dataDir, await prepareDataDir(dataDir, transport));
  const lifeboat: Lifeboat = { transport, server, idleRss: 0, ucpContainers: [] };
  try {
    const warm = (await backup(lifeboat, [UCP_VOLUME])).value;
    if (warmUp === 'restore') await restore(lifeboat, { backupId: warm.id, skipSafetyBackup: 'true' });
    await deleteArchive(lifeboat, warm.id);
    lifeboat.ucpContainers = [...warm.stoppedContainers].sort();
    await sleep(1000);
    lifeboat.idleRss = rssOf(server.process.pid!);
    return lifeboat;
  } catch (error) {
    await server.stop();
    throw error;
  }
}

function api(lifeboat: Lifeboat, route: string, init: RequestInit = {}) {
  return fetch(`${lifeboat.server.url}${route}`, { ...init, headers: { Authorization: `Bearer ${lifeboat.server.token}`, ...init.headers } });
}

async function json<T>(lifeboat: Lifeboat, route: string, init: RequestInit = {}): Promise<T> {
  const response = await api(lifeboat, route, init);
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${route}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<T>;
}

const body = (response: Response) => Readable.fromWeb(response.body as ReadableStream<Uint8Array>);

/**
 * A backup through the API, timed from the request to the last byte of the streamed archive, with the
 * archive committed and the job done. The client is curl into /dev/null, as lean as a download gets:
 * a Node client hashing the stream took up to a core of the two the server shares. The archive is
 * written once, by the server, as the CLI writes its own once; the download's size is checked against
 * it here, its bytes by the browser tests (e2e/backup-api.spec.ts).
 */
export async function backup(lifeboat: Lifeboat, volumes: string[]) {
  const run = await timed(async () => {
    const { stdout } = await exec('curl', [
      ...['-sS', '-o', '/dev/null', '-w', '%{http_code} %{size_download} %header{x-backup-id}'],
      ...['-H', `Authorization: Bearer ${lifeboat.server.token}`, '-H', 'Content-Type: application/json'],
      ...['--data-binary', JSON.stringify({ node: NODE, passphrase: PASSPHRASE, volumes }), `${lifeboat.server.url}/api/v1/backups`],
    ]);
    const [status, size, id] = stdout.trim().split(' ');
    if (status !== '200' || !id) throw new Error(`backup refused: HTTP ${status}`);
    while ((await json<{ backups: { id: string }[] }>(lifeboat, `/api/v1/backups?node=${NODE}&status=running`)).backups.some((b) => b.id === id)) await sleep(20);
    return { id, downloaded: Number(size) };
  });
  const record = await json<BackupRecord>(lifeboat, `/api/v1/backups/${run.value.id}`);
  if (record.status !== 'succeeded') throw new Error(`backup ${record.status}: ${JSON.stringify(record.error)}`);
  if (record.encryptedBytes !== run.value.downloaded) throw new Error(`the download took ${run.value.downloaded} bytes, the stored archive has ${record.encryptedBytes}`);
  return { seconds: run.seconds, value: record };
}

/** A restore or a dry run through the API (it answers when the job ends). */
export async function restore(lifeboat: Lifeboat, fields: Record<string, string>) {
  const form = new FormData();
  for (const [name, value] of Object.entries({ node: NODE, passphrase: PASSPHRASE, dryRun: 'false', ...fields })) form.set(name, value);
  const run = await timed(() => json<RestoreRecord>(lifeboat, '/api/v1/restores', { method: 'POST', body: form }));
  if (run.value.status !== 'succeeded') throw new Error(`restore ${run.value.status}: ${JSON.stringify(run.value.error)}`);
  return run;
}

export async function download(lifeboat: Lifeboat, backupId: string, file: string) {
  await pipeline(body(await api(lifeboat, `/api/v1/backups/${backupId}/archive`)), fs.createWriteStream(file));
}

/** Archives are deleted once measured: the disk holds a few GiB of them at most. */
export async function deleteArchive(lifeboat: Lifeboat, backupId: string) {
  await json(lifeboat, `/api/v1/backups/${backupId}/archive`, { method: 'DELETE' });
}

/** A job's run with the server's peak memory above its idle level; checks it stopped what the CLI stops (a dry run: nothing). */
export async function measured<T extends Job>(lifeboat: Lifeboat, work: () => Promise<{ seconds: number; value: T }>, stops = true) {
  const { peak, value } = await peakRss(lifeboat.server.process.pid!, work);
  const stopped = [...value.value.stoppedContainers].sort().join(' ');
  const expected = stops ? lifeboat.ucpContainers.join(' ') : '';
  if (stopped !== expected) throw new Error(`the job stopped ${stopped || 'nothing'}, not ${expected || 'nothing'}`);
  return { seconds: value.seconds, downtime: (value.value.downtimeMs ?? 0) / 1000, rss: peak - lifeboat.idleRss, timings: value.value.timings, record: value.value };
}
