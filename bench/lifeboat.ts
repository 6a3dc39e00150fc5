// Lifeboat's side: a server of its own reaching the lab's engines over one transport, driven through the API.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { setTimeout as sleep } from 'node:timers/promises';
import { prepareDataDir, startServer, type TestServer } from '../e2e/support/server';
import { NODE, PASSPHRASE, peakRss, rssOf, timed, UCP_VOLUME } from './bench-lab';

export type Transport = 'unix' | 'tls';
/** Where a job's time went (the records carry it once the pipelines report it). */
export type Timings = Record<string, number> | undefined;
type Job = { id: string; status: string; error: unknown; downtimeMs: number | null; stoppedContainers: string[]; timings?: Timings };
export type BackupRecord = Job & { sha256: string };
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

/** POSTs `body` as JSON with node:http, not fetch: a web stream costs the client several seconds of CPU per GiB, on the cores the server shares. */
function post(lifeboat: Lifeboat, route: string, body: unknown): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${lifeboat.server.url}${route}`,
      { method: 'POST', headers: { Authorization: `Bearer ${lifeboat.server.token}`, 'Content-Type': 'application/json' } },
      resolve,
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

/**
 * A backup through the API, timed from the request to the last byte of the streamed archive, with the
 * archive committed and the job done. The client hashes the stream instead of writing it: the archive
 * is written once, by the server, as the CLI writes its own once.
 */
export async function backup(lifeboat: Lifeboat, volumes: string[]) {
  const run = await timed(async () => {
    const response = await post(lifeboat, '/api/v1/backups', { node: NODE, passphrase: PASSPHRASE, volumes });
    if (response.statusCode !== 200) throw new Error(`backup refused: ${(await buffer(response)).toString()}`);
    const hash = createHash('sha256');
    for await (const chunk of response) hash.update(chunk);
    const id = response.headers['x-backup-id'] as string;
    while ((await json<{ backups: { id: string }[] }>(lifeboat, `/api/v1/backups?node=${NODE}&status=running`)).backups.some((b) => b.id === id)) await sleep(20);
    return { id, sha256: hash.digest('hex') };
  });
  const record = await json<BackupRecord>(lifeboat, `/api/v1/backups/${run.value.id}`);
  if (record.status !== 'succeeded') throw new Error(`backup ${record.status}: ${JSON.stringify(record.error)}`);
  if (record.sha256 !== run.value.sha256) throw new Error('the streamed archive differs from the stored one');
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
