// What the server listens on and how it is reached, from the environment, checked once at start.
import fs from 'node:fs';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

function fail(message) {
  console.error(`lifeboat: ${message}`);
  process.exit(1);
}

function positiveMs(name, fallback) {
  const raw = process.env[name];
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) fail(`${name} must be a positive whole number of ms, not ${JSON.stringify(raw)}`);
  return value;
}

function readPem(name) {
  const file = process.env[name];
  if (!file) return null;
  try {
    return fs.readFileSync(file);
  } catch (error) {
    fail(`${name}: cannot read ${file}: ${error.message}`);
  }
}

export function serverOptions() {
  const port = Number(process.env.PORT || 3000);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) fail(`PORT must be a port number, not ${JSON.stringify(process.env.PORT)}`);
  // Only this machine, unless HOST says otherwise: the dashboard holds the keys to every engine.
  const host = process.env.HOST || '127.0.0.1';
  const cert = readPem('LIFEBOAT_TLS_CERT');
  const key = readPem('LIFEBOAT_TLS_KEY');
  if (!cert !== !key) fail('LIFEBOAT_TLS_CERT and LIFEBOAT_TLS_KEY go together: set both (PEM files) or neither');
  const tls = cert && key ? { cert, key } : null;

  let publicUrl;
  try {
    publicUrl = new URL(process.env.LIFEBOAT_PUBLIC_URL || `${tls ? 'https' : 'http'}://localhost:${port}`);
  } catch {
    fail(`LIFEBOAT_PUBLIC_URL must be a URL such as https://lifeboat.example.com, not ${JSON.stringify(process.env.LIFEBOAT_PUBLIC_URL)}`);
  }
  if (publicUrl.protocol !== 'http:' && publicUrl.protocol !== 'https:') fail('LIFEBOAT_PUBLIC_URL must start with http:// or https://');
  // The same rule as lib/config.ts (secure cookies): HTTPS when Lifeboat serves TLS or sits behind it.
  const https = Boolean(tls) || publicUrl.protocol === 'https:';

  // DNS rebinding: a page of another site, its name pointed at this address, would be same-origin with
  // Lifeboat. Only the names Lifeboat is reached by are answered: its public URL's and, on this port, loopback's.
  const allowedHosts = new Set([publicUrl.host.toLowerCase(), ...LOOPBACK_NAMES.map((name) => `${name}:${port}`)]);

  return {
    port,
    host,
    tls,
    https,
    publicUrl,
    allowedHosts,
    // The whole request (headers and body) must arrive within this; archive uploads instead get an idle timeout.
    receiveTimeoutMs: positiveMs('LIFEBOAT_REQUEST_TIMEOUT_MS', 30_000),
    headersTimeoutMs: positiveMs('LIFEBOAT_HEADERS_TIMEOUT_MS', 15_000),
    // Behind a reverse proxy on this machine: the client's address is the last X-Forwarded-For entry.
    trustProxy: process.env.LIFEBOAT_TRUST_PROXY === '1',
    exposedWithoutPublicUrl: !process.env.LIFEBOAT_PUBLIC_URL && !LOOPBACK_NAMES.includes(host) && host !== '::1',
  };
}
