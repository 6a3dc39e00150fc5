// What both benchmarks share: the lab node and its 1 GiB volume, timing, memory sampling, the lab's life.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { labNode } from '../e2e/support/lab';

const run = promisify(execFile);
export const NODE = 'ctrl-3';
export const VOLUME = 'lifeboat-bench';
export const PASSPHRASE = 'benchmark passphrase 1';
export const MiB = 1024 * 1024;

export const docker = (...args: string[]) => run('/usr/bin/docker', ['-H', `unix://${labNode(NODE).socket}`, ...args], { maxBuffer: 64 * MiB });
export const sh = (script: string) => run('bash', ['-o', 'pipefail', '-c', script], { maxBuffer: 64 * MiB });
export const dockerHost = () => `unix://${labNode(NODE).socket}`;

/**
 * Times `work`, after flushing the page cache's dirty pages: a gigabyte written by the run before
 * would otherwise slow this one's writes (measured: seconds of difference).
 */
export async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  await sh('sync');
  const start = performance.now();
  const value = await work();
  return { seconds: (performance.now() - start) / 1000, value };
}

/** 1 GiB of files of mixed sizes: 6 x 100 MiB, 300 x 1 MiB, 2,000 x 48 KiB, 6,000 x 4 KiB. */
export async function ensureBenchVolume() {
  const { stdout } = await docker('volume', 'ls', '-q', '--filter', `name=^${VOLUME}$`);
  if (stdout.trim()) return;
  console.log(`bench: filling ${VOLUME} on ${NODE} with 1 GiB of files (once)…`);
  await docker('volume', 'create', VOLUME);
  const script = [
    'set -e; mkdir -p /v/large /v/medium /v/small /v/tiny',
    'for i in $(seq 1 6); do dd if=/dev/urandom of=/v/large/f$i bs=1M count=100 2>/dev/null; done',
    'for i in $(seq 1 300); do dd if=/dev/urandom of=/v/medium/f$i bs=1M count=1 2>/dev/null; done',
    'dd if=/dev/urandom of=/tmp/pool bs=1M count=96 2>/dev/null',
    'for i in $(seq 0 1999); do dd if=/tmp/pool of=/v/small/f$i bs=48k skip=$i count=1 2>/dev/null; done',
    'for i in $(seq 0 5999); do dd if=/tmp/pool of=/v/tiny/f$i bs=4k skip=$i count=1 2>/dev/null; done',
  ].join('; ');
  await docker('run', '--rm', '--network', 'none', '-v', `${VOLUME}:/v`, 'lifeboat-lab/busybox:latest', 'sh', '-c', script);
}

export async function volumeBytes() {
  const { stdout } = await docker('run', '--rm', '--network', 'none', '-v', `${VOLUME}:/v:ro`, 'lifeboat-lab/busybox:latest', 'du', '-sb', '/v');
  return Number(stdout.split(/\s/)[0]);
}

export async function ucpContainers() {
  const { stdout } = await docker('ps', '-q', '--filter', 'name=ucp-');
  return stdout.split('\n').filter(Boolean);
}

/** Peak resident memory of a process while `work` runs, sampled every 50 ms. */
export async function peakRss<T>(pid: number, work: () => Promise<T>): Promise<{ baseline: number; peak: number; value: T }> {
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
  const baseline = rss();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rss())), 50);
  try {
    return { baseline, peak, value: await work() };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * The benchmarks' own lab (`bench`), never the demo's or the tests': exported, so that every
 * `lab.sh` the benchmark runs (here, and in e2e/support) goes to it.
 */
export const LAB = (process.env.LIFEBOAT_LAB_NAME ??= 'bench');
const labSh = (args: string) => sh(`bash scripts/lab/lab.sh ${args} --name ${LAB}`);

/**
 * Runs `work` with the lab up and a scratch directory. A lab that is up or repairable is reused
 * (and left up); one that is absent or must be rebuilt is started here and taken down after.
 */
export async function withLab(work: (scratch: string) => Promise<void>) {
  const state = (await labSh('state')).stdout.trim();
  const started = state !== 'up' && state !== 'repairable';
  if (state !== 'up') {
    console.log(`bench: ${started ? 'starting' : 'repairing'} the lab '${LAB}'…`);
    await labSh('up --controllers 3');
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-bench-'));
  process.env.LIFEBOAT_LAB_JSON ??= path.join(scratch, 'lab.json');
  fs.writeFileSync(process.env.LIFEBOAT_LAB_JSON, (await labSh('status --json')).stdout);
  try {
    await work(scratch);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
    if (started) await labSh('down --purge'); // its CA too: no dashboard relies on it
  }
}

export function mbps(bytes: number, seconds: number) {
  return `${(bytes / 1e6 / seconds).toFixed(0)} MB/s`;
}
