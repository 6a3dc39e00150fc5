import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { gpgTarList } from './support/archive';

test.use({ storageState: { cookies: [], origins: [] } });

const base = process.env.LIFEBOAT_BASE_URL!;
const auth = { Authorization: `Bearer ${process.env.LIFEBOAT_API_TOKEN}` };
const passphrase = 'api passphrase 2026';

async function postBackup(body: unknown) {
  return fetch(`${base}/api/v1/backups`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

test('POST /api/v1/backups streams the encrypted archive, with its id in X-Backup-Id, like the seed command', async () => {
  const response = await postBackup({ node: 'ctrl-1', passphrase });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/pgp-encrypted');
  expect(response.headers.get('content-length')).toBeNull();
  const id = response.headers.get('x-backup-id')!;
  const file = test.info().outputPath('api.tar.gpg');
  fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  expect(await gpgTarList(file, passphrase)).toContain('./ucp-client-root-ca/cert.pem');

  const record = await (await fetch(`${base}/api/v1/backups/${id}`, { headers: auth })).json();
  expect(record).toMatchObject({ id, status: 'succeeded', node: { hostname: 'ctrl-1' }, stored: true });
  expect(record.requestedBy).toMatch(/^token:/);
  expect(record.sha256).toBe(createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
  expect(record.manifest.volumes.find((v: { name: string }) => v.name === 'ucp-kv').files).toBeGreaterThan(0);
  expect(JSON.stringify(record)).not.toContain(passphrase);

  const list = await (await fetch(`${base}/api/v1/backups?node=ctrl-1`, { headers: auth })).json();
  expect(list.backups[0].id).toBe(id);
  expect(list.backups.every((b: { node: { hostname: string } }) => b.node.hostname === 'ctrl-1')).toBe(true);
});

test('a stored archive is served with its length, an ETag and byte ranges, so downloads resume', async () => {
  const response = await postBackup({ node: 'ctrl-2', passphrase, rootCaOnly: true });
  const whole = Buffer.from(await response.arrayBuffer());
  const id = response.headers.get('x-backup-id')!;
  const url = `${base}/api/v1/backups/${id}/archive`;

  const full = await fetch(url, { headers: auth });
  expect(full.status).toBe(200);
  expect(full.headers.get('content-length')).toBe(String(whole.length));
  expect(full.headers.get('accept-ranges')).toBe('bytes');
  const etag = full.headers.get('etag')!;
  expect(etag).toBe(`"${createHash('sha256').update(whole).digest('hex')}"`);
  expect(Buffer.from(await full.arrayBuffer()).equals(whole)).toBe(true);

  const tail = await fetch(url, { headers: { ...auth, Range: 'bytes=100-' } });
  expect(tail.status).toBe(206);
  expect(tail.headers.get('content-range')).toBe(`bytes 100-${whole.length - 1}/${whole.length}`);
  expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(100))).toBe(true);

  expect((await fetch(url, { headers: { ...auth, 'If-None-Match': etag } })).status).toBe(304);
  const beyond = await fetch(url, { headers: { ...auth, Range: `bytes=${whole.length}-` } });
  expect(beyond.status).toBe(416);
  expect(beyond.headers.get('content-range')).toBe(`bytes */${whole.length}`);
});

test('DELETE /api/v1/backups/{id}/archive deletes the file and keeps the row', async () => {
  const response = await postBackup({ node: 'ctrl-2', passphrase, rootCaOnly: true });
  await response.arrayBuffer();
  const id = response.headers.get('x-backup-id')!;
  const deleted = await fetch(`${base}/api/v1/backups/${id}/archive`, { method: 'DELETE', headers: auth });
  expect(await deleted.json()).toEqual({ id, deleted: true });
  const record = await (await fetch(`${base}/api/v1/backups/${id}`, { headers: auth })).json();
  expect(record).toMatchObject({ status: 'succeeded', stored: false });
  expect(record.fileDeletedAt).not.toBeNull();
  const gone = await fetch(`${base}/api/v1/backups/${id}/archive`, { headers: auth });
  expect(gone.status).toBe(404);
  expect((await gone.json()).error.message).toBe(`the archive of backup ${id} was deleted`);
});

test('a download aborted halfway leaves a complete archive in the store', async () => {
  const controller = new AbortController();
  const response = await fetch(`${base}/api/v1/backups`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ node: 'ctrl-3', passphrase }),
    signal: controller.signal,
  });
  const id = response.headers.get('x-backup-id')!;
  const reader = response.body!.getReader();
  await reader.read();
  controller.abort();

  let record: { status: string; running: boolean; stored: boolean; sha256: string | null };
  do {
    record = await (await fetch(`${base}/api/v1/backups/${id}`, { headers: auth })).json();
  } while (record.running);
  expect(record).toMatchObject({ status: 'succeeded', stored: true });
  const archive = Buffer.from(await (await fetch(`${base}/api/v1/backups/${id}/archive`, { headers: auth })).arrayBuffer());
  expect(createHash('sha256').update(archive).digest('hex')).toBe(record.sha256);
  const file = test.info().outputPath('resumed.tar.gpg');
  fs.writeFileSync(file, archive);
  expect(await gpgTarList(file, passphrase)).toContain('./lifeboat/manifest.json');
});

test.describe('bad requests get a 4xx JSON error and change nothing', () => {
  const cases: [string, unknown, number, string | RegExp][] = [
    ['a short passphrase', { node: 'ctrl-1', passphrase: 'short' }, 400, 'passphrase: the passphrase must have at least 12 characters'],
    ['no passphrase', { node: 'ctrl-1' }, 400, /^passphrase: /],
    ['an unknown node', { node: 'ctrl-9', passphrase }, 404, 'no node "ctrl-9" in the cluster'],
    ['a worker, with nothing chosen', { node: 'worker-1', passphrase }, 400, 'worker-1 is a worker: stateless, nothing to back up (choose volumes to back up anyway)'],
    ['a volume Docker would not accept', { node: 'ctrl-1', passphrase, volumes: ['../etc'] }, 400, 'volumes.0: is not a volume name Docker would accept'],
  ];
  for (const [label, body, status, message] of cases) {
    test(label, async () => {
      const before = await (await fetch(`${base}/api/v1/backups`, { headers: auth })).json();
      const response = await postBackup(body);
      expect(response.status).toBe(status);
      const error = (await response.json()).error;
      if (typeof message === 'string') expect(error.message).toBe(message);
      else expect(error.message).toMatch(message);
      const after = await (await fetch(`${base}/api/v1/backups`, { headers: auth })).json();
      expect(after.backups.length).toBe(before.backups.length);
    });
  }

  test('a body that is not JSON', async () => {
    const response = await fetch(`${base}/api/v1/backups`, { method: 'POST', headers: auth, body: 'node=ctrl-1' });
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/must be JSON/);
  });
});

test.describe('with the browser session instead of a token', () => {
  test.use({ storageState: 'e2e/.auth/admin.json' });

  test('a state-changing request from another origin is refused, one from ours is taken', async ({ request }) => {
    const foreign = await request.post('/api/v1/backups', { headers: { Origin: 'http://evil.example' }, data: { node: 'ctrl-1', passphrase } });
    expect(foreign.status()).toBe(403);
    expect((await foreign.json()).error.message).toBe('cross-origin request refused: the Origin header does not match this server');

    const ours = await request.post('/api/v1/backups', { headers: { Origin: base }, data: { node: 'ctrl-9', passphrase } });
    expect(ours.status()).toBe(404);
  });

  test('reading needs no Origin', async ({ request }) => {
    expect((await request.get('/api/v1/backups')).status()).toBe(200);
  });
});
