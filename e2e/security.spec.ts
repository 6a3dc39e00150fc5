// Attacks against the running test server, as issue 11 lists them: each must be refused, and the server
// must go on answering.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { zipSync, strToU8 } from 'fflate';
import { appEntries, callAction, serverActions } from './support/app-map';
import { rawRequest } from './support/raw-http';
import { startServer } from './support/server';

const run = promisify(execFile);
const base = new URL(process.env.LIFEBOAT_BASE_URL!);
const port = Number(base.port);
const bearer = { Authorization: `Bearer ${process.env.LIFEBOAT_API_TOKEN}` };

/** The admin's session cookie, as the setup project signed in. */
function adminCookie(): string {
  const state = JSON.parse(fs.readFileSync('e2e/.auth/admin.json', 'utf8')) as { cookies: { name: string; value: string }[] };
  const cookie = state.cookies.find((c) => c.name.endsWith('lifeboat_session'))!;
  return `${cookie.name}=${cookie.value}`;
}

/** `page` signed in with the admin's session. */
function asAdmin(page: Page) {
  const [name, value] = adminCookie().split('=');
  return page.context().addCookies([{ name, value, url: base.origin }]);
}

/** A form's hidden fields as the server rendered them (a server action's id and bound state): what a no-JS client posts. */
async function hiddenFields(request: APIRequestContext, page: string, formLabel: string, cookie: string): Promise<[string, string][]> {
  const html = await (await request.get(page, { headers: { Cookie: cookie } })).text();
  const at = html.indexOf(`aria-label="${formLabel}"`);
  expect(at, `a form labelled ${formLabel} on ${page}`).toBeGreaterThan(0);
  const form = html.slice(html.lastIndexOf('<form', at), html.indexOf('</form>', at));
  const unescape = (text: string) =>
    text
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return [...form.matchAll(/<input type="hidden" name="([^"]*)"(?: value="([^"]*)")?\/>/g)].map((m) => [m[1], unescape(m[2] ?? '')]);
}

test.use({ storageState: { cookies: [], origins: [] } });

test.describe('without a session or token', () => {
  test('every page redirects to the login page, and every /api/v1 route answers 401', async ({ request }) => {
    const { pages, routes } = appEntries();
    expect(pages.length).toBeGreaterThan(8);
    for (const page of pages.filter((p) => p !== '/login')) {
      const response = await request.get(page, { maxRedirects: 0 });
      expect(response.status(), page).toBe(307);
      expect(new URL(response.headers().location, base).pathname, page).toBe('/login');
    }
    for (const route of routes) {
      for (const method of route.methods) {
        const response = await request.fetch(route.path, { method, maxRedirects: 0, data: method === 'GET' ? undefined : '{}' });
        expect(response.status(), `${method} ${route.path}`).toBe(401);
        expect((await response.json()).error.code).toBe('unauthorized');
      }
    }
  });

  test('every server action, even past the page gate with a forged cookie, sends the caller to the login page', async ({ request }) => {
    const actions = serverActions().filter((a) => a.name !== 'login');
    expect(actions.length).toBeGreaterThan(15);
    for (const action of actions) {
      const response = await request.post(action.page, callAction(action, 'lifeboat_session=forged', base.origin));
      expect(response.headers()['x-action-redirect'], action.name).toMatch(/^\/login;/);
    }
  });

  test('a forged or revoked token is refused', async ({ page, request }) => {
    expect((await request.get('/api/v1/nodes', { headers: { Authorization: 'Bearer lbt_forgedforgedforgedforgedforged' } })).status()).toBe(401);
    expect((await request.get('/api/v1/nodes', { headers: { Authorization: 'Basic YWRtaW46YWRtaW4=' } })).status()).toBe(401);

    await asAdmin(page);
    await page.goto('/settings');
    const name = `revoked-${Date.now()}`;
    const form = page.getByRole('form', { name: 'Create an API token' });
    await form.getByLabel('Token name').fill(name);
    await form.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByTestId('new-secret').textContent())!.trim();
    expect((await request.get('/api/v1/nodes', { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(200);
    await page.locator(`[data-token="${name}"]`).getByRole('button', { name: 'Revoke' }).click();
    await expect(page.locator(`[data-token="${name}"]`)).toHaveCount(0);
    expect((await request.get('/api/v1/nodes', { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(401);
  });
});

test.describe('hardened defaults', () => {
  test('pages run under a strict CSP with a fresh nonce; everything else runs nothing', async ({ page, request }) => {
    const csp = (response: { headers: () => Record<string, string> }) => response.headers()['content-security-policy'] ?? '';
    const first = csp(await request.get('/login'));
    const second = csp(await request.get('/login'));
    expect(first).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
    expect(first).toContain("frame-ancestors 'none'");
    expect(first).toContain("object-src 'none'");
    expect(first).not.toContain('unsafe-inline');
    expect(first).not.toBe(second);
    expect(csp(await request.get('/api/v1/nodes'))).toBe("default-src 'none'; frame-ancestors 'none'");
    for (const response of [await request.get('/login'), await request.get('/api/v1/nodes')]) {
      expect(response.headers()).toMatchObject({ 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin' });
    }

    // The pages work under it: no violation while signing in and walking the dashboard.
    const violations: string[] = [];
    page.on('console', (message) => message.text().includes('Content Security Policy') && violations.push(message.text()));
    await page.goto('/login');
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill(process.env.LIFEBOAT_ADMIN_PASSWORD!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Cluster' })).toBeVisible();
    for (const link of ['Backups', 'Restore', 'Policies', 'Settings']) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    }
    expect(violations).toEqual([]);
  });

  test('the server answers only to the names it is reached by (DNS rebinding)', async () => {
    const foreign = await rawRequest(port, `GET /api/v1/nodes HTTP/1.1\r\nHost: rebound.evil.example:${port}\r\nAuthorization: ${bearer.Authorization}`);
    expect(foreign.status).toBe(421);
    expect(foreign.response).not.toContain('"nodes"');
    const own = await rawRequest(port, `GET /login HTTP/1.1\r\nHost: localhost:${port}\r\nConnection: close`);
    expect(own.status).toBe(200);
  });

  test('a malformed %-encoding is a 400, never a 500, signed in or not', async ({ request }) => {
    for (const headers of [{}, { Cookie: adminCookie() }, bearer] as Record<string, string>[]) {
      for (const url of ['/nodes/%E0%A4%A', '/api/v1/nodes/%E0%A4%A/volumes', '/api/v1/backups/%ZZ/archive']) {
        expect((await request.get(url, { headers, maxRedirects: 0 })).status(), url).toBe(400);
      }
    }
  });

  test('a request whose body trickles in is cut at the receive deadline, whoever sends it', async () => {
    const body = JSON.stringify({ node: 'ctrl-1', padding: 'x'.repeat(200) });
    const head = (path: string, extra = '') => `POST ${path} HTTP/1.1\r\nHost: localhost:${port}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}${extra}`;
    // Unauthenticated (answered 401 at once, but the connection is held while the body trickles), and signed in.
    for (const exchange of await Promise.all([
      rawRequest(port, head('/api/v1/backups'), body, { everyMs: 1000 }),
      rawRequest(port, head('/api/v1/backups', `\r\nAuthorization: ${bearer.Authorization}`), body, { everyMs: 1000 }),
      rawRequest(port, head('/login'), body, { everyMs: 1000 }),
    ])) {
      expect(exchange.bodyBytesSent).toBeLessThan(body.length);
      expect(exchange.closedAfterMs).toBeGreaterThanOrEqual(7_000);
      expect(exchange.closedAfterMs).toBeLessThan(20_000);
    }
  });

  test('a signed-in archive upload may take longer than the deadline, but is cut when it stalls', async () => {
    const head = `POST /api/v1/uploads HTTP/1.1\r\nHost: localhost:${port}\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\nAuthorization: ${bearer.Authorization}`;
    // A byte a second for 12 s (past the 8 s receive deadline), then nothing: the 6 s idle limit ends it.
    // Beside it, the same upload unauthenticated: answered 401 and cut at the receive deadline.
    const [exchange, unauthenticated] = await Promise.all([
      rawRequest(port, head, 'x'.repeat(100_000), { everyMs: 1000, stopAfterBytes: 12 }),
      rawRequest(port, head.replace(/\r\nAuthorization: .*/, ''), 'x'.repeat(100_000), { everyMs: 1000 }),
    ]);
    expect(exchange.bodyBytesSent).toBe(12);
    expect(exchange.status).toBe(400);
    expect(exchange.response).toContain('the upload stalled: nothing arrived for 6 s');
    expect(exchange.closedAfterMs).toBeGreaterThan(12_000);
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.closedAfterMs).toBeLessThan(20_000);
  });

  test('an upload larger than the maximum is refused from its Content-Length, before a byte is stored', async () => {
    const exchange = await rawRequest(
      port,
      `POST /api/v1/uploads HTTP/1.1\r\nHost: localhost:${port}\r\nContent-Length: ${17 * 1024 ** 3}\r\nAuthorization: ${bearer.Authorization}\r\nConnection: close`,
      'x'.repeat(1000),
      { giveUpMs: 15_000 },
    );
    expect(exchange.status).toBe(413);
    expect(exchange.response).toContain('LIFEBOAT_MAX_UPLOAD_BYTES');
  });

  test('an oversized JSON body is a 413', async ({ request }) => {
    const response = await request.post('/api/v1/backups', { headers: bearer, data: { node: 'ctrl-1', note: 'x'.repeat(300 * 1024) } });
    expect(response.status()).toBe(413);
    expect((await response.json()).error.code).toBe('too_large');
  });

  test('a cross-site POST carrying a valid session cookie is refused, by the API and by server actions', async ({ page, request }) => {
    const api = await request.post('/api/v1/backups', {
      headers: { Cookie: adminCookie(), Origin: 'https://evil.example' },
      data: { node: 'ctrl-1', passphrase: 'a passphrase long enough' },
    });
    expect(api.status()).toBe(403);

    // The Settings page's own "Create an API token" form, posted as a browser without JavaScript would: from
    // this origin it creates the token (the control), from another it is refused.
    const fields = await hiddenFields(request, '/settings', 'Create an API token', adminCookie());
    const post = (name: string, origin: string) => {
      const form = new FormData();
      for (const [key, value] of fields) form.append(key, value);
      form.set('name', name);
      form.set('scopes', 'read');
      return request.post('/settings', { headers: { Origin: origin, Cookie: adminCookie() }, multipart: form, maxRedirects: 0 });
    };
    const [own, foreign] = [`same-site-${Date.now()}`, `cross-site-${Date.now()}`];
    expect((await post(own, base.origin)).status()).toBe(200);
    expect((await post(foreign, 'https://evil.example')).status()).not.toBe(200);
    await asAdmin(page);
    await page.goto('/settings');
    await expect(page.locator(`[data-token="${own}"]`)).toHaveCount(1);
    await expect(page.locator(`[data-token="${foreign}"]`)).toHaveCount(0);
    await page.locator(`[data-token="${own}"]`).getByRole('button', { name: 'Revoke' }).click();
    await expect(page.locator(`[data-token="${own}"]`)).toHaveCount(0);
  });

  test('the data directory is 0700 and the database 0600', () => {
    const dataDir = process.env.LIFEBOAT_DATA_DIR!;
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dataDir, 'lifeboat.db')).mode & 0o777).toBe(0o600);
    for (const dir of ['archives', 'uploads', 'spool']) {
      const full = path.join(dataDir, dir);
      if (fs.existsSync(full)) expect(fs.statSync(full).mode & 0o077, dir).toBe(0);
    }
  });
});

test.describe('signing in', () => {
  test('never leaves the site, whatever `next` normalises to', async ({ page }) => {
    for (const next of ['/.//evil.example/phish', '/..//evil.example', '/%2e//evil.example', '//evil.example', '/\\evil.example', 'https://evil.example/']) {
      await page.context().clearCookies();
      await page.goto(`/login?next=${encodeURIComponent(next)}`);
      await page.getByLabel('Password').fill(process.env.LIFEBOAT_ADMIN_PASSWORD!);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
      expect(new URL(page.url()).origin, next).toBe(base.origin);
    }
  });

  test('guessing at an account locks it for a while, before any password is checked', async ({ page }) => {
    const account = `target-${Date.now()}`;
    await page.goto('/login');
    const attempt = async (password: string) => {
      await page.getByLabel('User name').fill(account);
      await page.getByLabel('Password').fill(password);
      const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await answered;
      // The button reads "Signing in…" until React has rendered the answer.
      await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
      return (await page.getByRole('status').textContent())!;
    };
    for (let guess = 1; guess <= 10; guess++) expect(await attempt(`guess-${guess}`)).toBe('wrong user name or password');
    expect(await attempt('guess-11')).toBe('too many sign-in attempts for this account: try again in 15 minutes');
  });
});

test('zip bombs in a client bundle are refused without being inflated, and the server keeps answering', async ({ page, request }) => {
  await asAdmin(page);
  const bomb = zipSync({ 'ca.pem': new Uint8Array(512 * 1024 * 1024), 'cert.pem': strToU8('x'), 'key.pem': strToU8('y') }, { level: 9 });
  expect(bomb.byteLength).toBeLessThan(1024 * 1024);
  const file = test.info().outputPath('bomb.zip');
  fs.writeFileSync(file, bomb);
  await page.goto('/settings');
  const form = page.getByRole('form', { name: 'Add an endpoint' });
  await form.getByLabel('Name').fill('bomb');
  await form.getByLabel('Client bundle').setInputFiles(file);
  await form.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(form.getByText("the bundle's ca.pem is larger than 64 KiB").first()).toBeVisible();
  expect((await request.get('/login')).status()).toBe(200);
  await expect(page.locator('[data-endpoint="bomb"]')).toHaveCount(0);
});

test('ids and file names with ../, NUL or odd encodings never reach a file outside the store', async ({ request }) => {
  const ids = ['..%2F..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f%2e%2e%2flifeboat.db', '..%5C..%5Clifeboat.db', 'x%00.tar.gpg', '%252e%252e%252flifeboat.db', '%C0%AE%C0%AE%2Flifeboat.db'];
  for (const id of ids) {
    for (const url of [`/api/v1/backups/${id}/archive`, `/api/v1/backups/${id}`, `/api/v1/restores/${id}`]) {
      const response = await request.get(url, { headers: bearer });
      expect([400, 404], `${url}: ${response.status()}`).toContain(response.status());
      expect(await response.text()).not.toMatch(/root:|SQLite format/);
    }
  }
  for (const field of ['backupId', 'uploadId']) {
    for (const id of ['../../lifeboat.db', '..\\..\\lifeboat.db', 'x\u0000y', '%2e%2e%2flifeboat.db']) {
      const form = new FormData();
      form.set('node', 'ctrl-1');
      form.set('passphrase', 'a passphrase long enough');
      form.set('dryRun', 'true');
      form.set(field, id);
      const response = await request.post('/api/v1/restores', { headers: bearer, multipart: form });
      expect([400, 404], `${field}=${JSON.stringify(id)}: ${response.status()}`).toContain(response.status());
    }
  }
});

test('over HTTPS (Lifeboat serving TLS itself), on 127.0.0.1 only: the session cookie is Secure and __Host-, and HSTS is sent', async ({ browser }) => {
  const dir = test.info().outputPath('tls');
  fs.mkdirSync(dir, { recursive: true });
  const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost',
  ]);
  // A second server on the test server's own data directory (as a replica would run), serving TLS itself.
  const server = await startServer(process.env.LIFEBOAT_DATA_DIR!, process.env.LIFEBOAT_API_TOKEN!, { LIFEBOAT_TLS_CERT: cert, LIFEBOAT_TLS_KEY: key });
  const serverPort = Number(new URL(server.url).port);
  try {
    expect(server.output()).toContain(`listening on https://127.0.0.1:${serverPort}`);
    const context = await browser.newContext({ ignoreHTTPSErrors: true, baseURL: server.url });
    const page = await context.newPage();
    const response = await page.goto('/login');
    expect(response!.headers()['strict-transport-security']).toBe('max-age=31536000');
    expect(response!.headers()['content-security-policy']).toContain('upgrade-insecure-requests');
    await page.getByLabel('Password').fill(process.env.LIFEBOAT_ADMIN_PASSWORD!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Cluster' })).toBeVisible();
    const cookies = await context.cookies();
    expect(cookies.map((c) => ({ name: c.name, secure: c.secure, httpOnly: c.httpOnly }))).toEqual([{ name: '__Host-lifeboat_session', secure: true, httpOnly: true }]);
    await context.close();

    // Not on any other interface of this machine.
    const other = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (other) {
      const refused = await new Promise<string>((resolve) => {
        const socket = net.connect(serverPort, other.address);
        socket.once('connect', () => resolve('connected'));
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(refused).toBe('ECONNREFUSED');
    }
  } finally {
    await server.stop();
  }
});
