// Serves the built dashboard: Next.js's request handler behind a plain Node HTTP(S) server, for what
// `next start` cannot do:
// - Next drops Content-Length from route handler responses; archive downloads hand their length over
//   in x-lifeboat-content-length, which becomes Content-Length here (browsers show progress, clients
//   know the size);
// - the guards of scripts/server/guards.mjs: Host allow-list, the client's address, HSTS, and a receive
//   deadline for every request but a signed-in archive upload (which may take hours);
// - TLS of its own (LIFEBOAT_TLS_CERT, LIFEBOAT_TLS_KEY) and only 127.0.0.1 unless HOST says otherwise.
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import next from 'next';
import { hostAllowed, pathWellFormed, receiveDeadline, stampClientAddress, transportHeaders } from './server/guards.mjs';
import { serverOptions } from './server/options.mjs';

// What the server creates (the database's journal, archives, spools, uploads) is the server's alone.
process.umask(0o077);

const LENGTH_HANDOVER = 'x-lifeboat-content-length';
const options = serverOptions();
const app = next({ dev: false, dir: path.resolve(import.meta.dirname, '..') });
const handle = app.getRequestHandler();
await app.prepare();

// Registered by instrumentation.ts: whether a request carries a valid session or token.
const signedIn = (req) => globalThis.lifeboatSignedIn?.(req) ?? Promise.resolve(false);

async function onRequest(req, res) {
  if (!hostAllowed(req, res, options) || !pathWellFormed(req, res)) return;
  stampClientAddress(req, options);
  transportHeaders(res, options);
  for (const method of ['setHeader', 'appendHeader']) {
    const original = res[method].bind(res);
    res[method] = (name, value) => (name.toLowerCase() === LENGTH_HANDOVER ? res.setHeader('content-length', value) : original(name, value));
  }
  await receiveDeadline(req, options, signedIn);
  await handle(req, res);
}

function listener(req, res) {
  onRequest(req, res).catch((error) => {
    console.error('lifeboat: a request failed before Next.js answered it:', error);
    if (!res.headersSent) res.writeHead(500).end();
    else res.destroy();
  });
}

const server = options.tls ? https.createServer(options.tls, listener) : http.createServer(listener);
server.headersTimeout = options.headersTimeoutMs;
// An idle keep-alive connection stays open a minute, not Node's 5 s: a client (or proxy) that reuses it
// just as the server closes it sees its request fail ("other side closed", seen in CI on a busy host).
server.keepAliveTimeout = 65_000;
// Node's own limit would cut a long upload; receiveDeadline applies one to every other request.
server.requestTimeout = 0;
server.listen(options.port, options.host, () => {
  console.log(
    `lifeboat: listening on ${options.tls ? 'https' : 'http'}://${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port} (reached as ${options.publicUrl.origin})`,
  );
  if (options.exposedWithoutPublicUrl) {
    console.log(`lifeboat: warning: HOST=${options.host} without LIFEBOAT_PUBLIC_URL: only requests for localhost are answered; set LIFEBOAT_PUBLIC_URL to the address users open`);
  }
  if (!options.https && !['127.0.0.1', 'localhost', '::1'].includes(options.host)) {
    console.log('lifeboat: warning: serving plain HTTP beyond this machine: passwords and archives cross the network in clear (see README: Serving over TLS)');
  }
});
// SIGTERM: stop taking requests and jobs, let running jobs close their stop windows with the containers
// started and record them as interrupted (up to 60 s: lib/jobs/shutdown.ts), then exit.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeIdleConnections();
    const drain = globalThis.lifeboatShutdown?.() ?? Promise.resolve();
    drain
      .then((result) => result?.cutShort && console.log(`lifeboat: ${signal}: ${result.cutShort} job(s) cut short; ${result.stillHeld} still holding a node`))
      .catch((error) => console.error(`lifeboat: ${signal}: stopping the jobs failed:`, error))
      .finally(() => process.exit(0));
  });
}
