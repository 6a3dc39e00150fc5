// Serves the built dashboard: Next.js's request handler behind a plain Node HTTP server, for two
// things `next start` cannot do:
// - Next drops Content-Length from route handler responses; archive downloads hand their length over
//   in x-lifeboat-content-length, which becomes Content-Length here (browsers show progress, clients
//   know the size);
// - no request timeout: an archive upload of several GB takes longer than Node's default 5 minutes.
import http from 'node:http';
import path from 'node:path';
import next from 'next';

// What the server creates (the database's journal, archives, spools, uploads) is the server's alone.
process.umask(0o077);

const LENGTH_HANDOVER = 'x-lifeboat-content-length';
const port = Number(process.env.PORT || 3000);
const app = next({ dev: false, dir: path.resolve(import.meta.dirname, '..') });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer((req, res) => {
  for (const method of ['setHeader', 'appendHeader']) {
    const original = res[method].bind(res);
    res[method] = (name, value) => (name.toLowerCase() === LENGTH_HANDOVER ? res.setHeader('content-length', value) : original(name, value));
  }
  handle(req, res);
});
server.requestTimeout = 0;
server.listen(port, () => console.log(`lifeboat: listening on http://localhost:${port}`));
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
