// A Lifeboat server of the tests' own, for what the shared test server must not suffer (kill -9, a full
// disk), or with an environment of its own (TLS); on another data directory, or on the test server's own.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { until } from './until';

const run = promisify(execFile);

export type TestServer = { url: string; token: string; dataDir: string; process: ChildProcess; output: () => string; stop: () => Promise<void> };

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Prepares a data directory: migrations, the lab's endpoints (over TLS or unix sockets), an API token. */
export async function prepareDataDir(dataDir: string, transport: 'tls' | 'unix' = 'tls'): Promise<string> {
  const env = { ...process.env, LIFEBOAT_DATA_DIR: dataDir, DATABASE_URL: `file:${dataDir}/lifeboat.db` };
  await run('bash', ['scripts/db.sh', 'migrate'], { env });
  await run('bash', ['-c', `bash scripts/lab/lab.sh status --json | bash scripts/node-ts.sh scripts/endpoints.ts register-lab ${transport}`], { env });
  const { stdout } = await run('bash', ['scripts/node-ts.sh', 'scripts/token.ts', 'create', `tests-${Date.now()}`], { env });
  return stdout.trim().split('\n').pop()!;
}

/** Starts the test build (`.next-test`) on a free port with `dataDir`; resolves once it listens (it has prepared by then). */
export async function startServer(dataDir: string, token: string, env: Record<string, string> = {}): Promise<TestServer> {
  const port = await freePort();
  const url = `${env.LIFEBOAT_TLS_CERT ? 'https' : 'http'}://localhost:${port}`;
  const logFile = path.join(dataDir, `server-${port}.log`);
  const log = fs.openSync(logFile, 'a');
  const child = spawn('bash', [path.resolve('scripts/serve.sh')], {
    env: { ...process.env, PORT: String(port), LIFEBOAT_DATA_DIR: dataDir, DATABASE_URL: `file:${dataDir}/lifeboat.db`, ...env },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const output = () => fs.readFileSync(logFile, 'utf8');
  await until(async () => {
    if (child.exitCode !== null) throw new Error(`the server exited: ${output()}`);
    return output().includes('lifeboat: listening on') || null;
  }, 'the server to listen');
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  };
  return { url, token, dataDir, process: child, output, stop };
}
