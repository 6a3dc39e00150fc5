// The test server's API, as scripts would call it: bearer token, JSON, multipart uploads.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { tempDir } from './archive';

const base = () => process.env.LIFEBOAT_BASE_URL!;
const auth = () => ({ Authorization: `Bearer ${process.env.LIFEBOAT_API_TOKEN}` });

/** A JSON request with the token; the response as it comes. */
export function apiFetch(route: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${base()}${route}`, { ...init, headers: { ...auth(), 'Content-Type': 'application/json', ...init.headers } });
}

export async function apiJson<T = Record<string, unknown>>(route: string, init: RequestInit = {}): Promise<T> {
  return (await (await apiFetch(route, init)).json()) as T;
}

/** POST /api/v1/backups; the archive is saved to a file. */
export async function backupThroughApi(body: Record<string, unknown>): Promise<{ id: string; file: string }> {
  const response = await fetch(`${base()}/api/v1/backups`, { method: 'POST', headers: { ...auth(), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status !== 200) throw new Error(`backup refused: ${await response.text()}`);
  const file = path.join(tempDir('lifeboat-api-'), 'backup.tar.gpg');
  await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>), fs.createWriteStream(file));
  return { id: response.headers.get('x-backup-id')!, file };
}

/** POST /api/v1/restores as multipart: the fields, then the archive file part (last), streamed from disk. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read the JSON they expect
type Json = Record<string, any>;

export async function restoreThroughApi(fields: Record<string, string>, archive?: string): Promise<{ status: number; body: Json }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  if (archive) form.set('archive', await fs.openAsBlob(archive), path.basename(archive));
  const response = await fetch(`${base()}/api/v1/restores`, { method: 'POST', headers: auth(), body: form });
  return { status: response.status, body: await response.json() };
}
