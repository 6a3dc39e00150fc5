// The lab as the tests see it: its engines (from `lab status --json`) and the docker CLI pointed at them.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type LabNode = {
  name: string;
  role: 'manager' | 'worker';
  address: string;
  socket: string;
  tcpUrl: string;
  tls: { ca: string; cert: string; key: string };
};

/**
 * `lab.sh status --json` of the tests' lab. name: the lab's name (`npm test` uses `test`); controllers: its number of
 * controllers; rogueTls: a client certificate from another CA (the engines refuse it); untrustedCa: a CA that signed no engine.
 */
export type LabStatus = {
  name: string;
  controllers: number;
  up: boolean;
  nodes: LabNode[];
  rogueTls: { ca: string; cert: string; key: string };
  untrustedCa: string;
};

export function labStatus(): LabStatus {
  const file = process.env.LIFEBOAT_LAB_JSON;
  if (!file) throw new Error('LIFEBOAT_LAB_JSON is not set: run the tests through `npm test`');
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

export function labNode(name: string): LabNode {
  const node = labStatus().nodes.find((n) => n.name === name);
  if (!node) throw new Error(`no lab node ${name}`);
  return node;
}

/** `docker -H unix://<socket> …` against one lab engine; resolves to stdout. */
export async function docker(node: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('/usr/bin/docker', ['-H', `unix://${labNode(node).socket}`, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** Runs `script` (sh) in a throwaway container on `node` that mounts each volume of `mounts` at its path. */
export function shInVolumes(node: string, mounts: Record<string, string>, script: string): Promise<string> {
  const binds = Object.entries(mounts).flatMap(([volume, at]) => ['-v', `${volume}:${at}`]);
  return docker(node, 'run', '--rm', '--network', 'none', ...binds, 'lifeboat-lab/busybox:latest', 'sh', '-c', script);
}

/** Lines of `--format '{{json .}}'` output, parsed. */
export async function dockerJsonLines<T = Record<string, string>>(node: string, ...args: string[]): Promise<T[]> {
  const out = await docker(node, ...args, '--format', '{{json .}}');
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}

// Tests run from the repository root.
const labScript = path.resolve('scripts/lab/lab.sh');

/** The lab the tests run against: `npm test` exports LIFEBOAT_LAB_NAME=test; else the one LIFEBOAT_LAB_JSON describes. */
export function labName(): string | undefined {
  return process.env.LIFEBOAT_LAB_NAME || (process.env.LIFEBOAT_LAB_JSON ? labStatus().name : undefined);
}

/** `npm run lab -- <command> [node] --name <lab>`: kill, start, pause, resume an engine of the tests' lab. */
export async function lab(command: 'kill' | 'start' | 'pause' | 'resume' | 'status', node?: string) {
  const name = labName();
  await run('bash', [labScript, command, ...(node ? [node] : []), ...(name ? ['--name', name] : [])], { timeout: 240_000 });
}

/** The state of each UCP container on `node` ("running", "exited", …). */
export async function ucpStates(node: string) {
  return (await dockerJsonLines<{ Names: string; State: string }>(node, 'ps', '-a', '--filter', 'name=ucp-')).map((c) => c.State);
}
