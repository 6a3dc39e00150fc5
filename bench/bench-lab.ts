// What both benchmarks share: the lab and its node, the datasets, timing, memory sampling.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { labNode } from '../e2e/support/lab';

const run = promisify(execFile);
export const NODE = 'ctrl-3';
export const UCP_VOLUME = 'ucp-kv';
export const PASSPHRASE = 'benchmark passphrase 1';
export const KiB = 1024;
export const MiB = 1024 * KiB;
const IMAGE = 'lifeboat-lab/busybox:latest';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

export const socket = () => labNode(NODE).socket;
export const docker = (...args: string[]) => run('/usr/bin/docker', ['-H', `unix://${socket()}`, ...args], { maxBuffer: 64 * MiB });
export const sh = (script: string) => run('bash', ['-o', 'pipefail', '-c', script], { maxBuffer: 64 * MiB });
export const gpg = `gpg --batch --quiet --yes --pinentry-mode loopback --passphrase '${PASSPHRASE}'`;

/**
 * A bulk volume, backed up and restored together with `ucp-kv` so that UCP stops as in a controller backup.
 * The 4 GiB mix is there for the memory check: one run, and no restore with a safety copy (minutes each).
 */
export type Dataset = { key: string; label: string; volume: string; runs: number; safetyCopy: boolean; files: [dir: string, size: number, count: number][] };

const mix = (times: number): Dataset['files'] => [
  ['large', 100 * MiB, 6 * times],
  ['medium', MiB, 300 * times],
  ['small', 48 * KiB, 2000 * times],
  ['tiny', 4 * KiB, 6000 * times],
];

const DATASETS: Dataset[] = [
  { key: '1g', label: '1 GiB mix', volume: 'lifeboat-bench', runs: RUNS, safetyCopy: true, files: mix(1) },
  { key: '4g', label: '4 GiB mix', volume: 'lifeboat-bench-4g', runs: 1, safetyCopy: false, files: mix(4) },
  { key: 'small', label: '100,000 × 4 KiB', volume: 'lifeboat-bench-small', runs: RUNS, safetyCopy: true, files: [['files', 4 * KiB, 100_000]] },
];

/** BENCH_DATASETS=1g,small picks some (default: all). */
export function selectedDatasets() {
  const keys = (process.env.BENCH_DATASETS ?? DATASETS.map((d) => d.key).join(',')).split(',');
  const unknown = keys.filter((k) => !DATASETS.some((d) => d.key === k));
  if (unknown.length) throw new Error(`unknown dataset ${unknown.join(', ')}: choose among ${DATASETS.map((d) => d.key).join(', ')}`);
  return DATASETS.filter((d) => keys.includes(d.key));
}

export const volumesOf = (dataset: Dataset) => [dataset.volume, UCP_VOLUME];

/** A created (never started) container that mounts the dataset's volumes at /lifeboat/<volume>, for `docker cp`. */
export async function helperFor(dataset: Dataset, mode: 'ro' | 'rw') {
  const binds = volumesOf(dataset).flatMap((v) => ['-v', `${v}:/lifeboat/${v}:${mode}`]);
  return (await docker('create', '--network', 'none', ...binds, IMAGE, 'true')).stdout.trim();
}

/** Runs `script` in a throwaway container that mounts the dataset's volumes read-write at /lifeboat/<volume>. */
export function shInDataset(dataset: Dataset, script: string) {
  const binds = volumesOf(dataset).flatMap((v) => ['-v', `${v}:/lifeboat/${v}`]);
  return docker('run', '--rm', '--network', 'none', ...binds, IMAGE, 'sh', '-c', script);
}

/**
 * Fills the dataset's volume once (it persists in the lab): files made on the host with `split`, streamed
 * in with `docker cp -`, one directory at a time; a `.filled` marker written last tells a whole fill.
 */
export async function ensureFilled(dataset: Dataset) {
  const filled = await docker('run', '--rm', '--network', 'none', '-v', `${dataset.volume}:/v:ro`, IMAGE, 'test', '-f', '/v/.filled').then(
    () => true,
    () => false,
  );
  if (filled) return;
  console.error(`bench: filling ${dataset.volume} on ${NODE} with ${dataset.label} (once)…`);
  await docker('volume', 'rm', '-f', dataset.volume);
  await docker('volume', 'create', dataset.volume);
  const helper = (await docker('create', '--network', 'none', '-v', `${dataset.volume}:/v`, IMAGE, 'true')).stdout.trim();
  const cp = `/usr/bin/docker -H unix://${socket()} cp - ${helper}:/v`;
  const tmp = fs.mkdtempSync('/dev/shm/lifeboat-fill-');
  try {
    for (const [dir, size, count] of dataset.files) {
      fs.mkdirSync(path.join(tmp, dir));
      await sh(`head -c ${size * count} /dev/urandom | split -a 6 -d -b ${size} - ${tmp}/${dir}/f && tar -C ${tmp} -cf - ${dir} | ${cp} && rm -rf ${tmp}/${dir}`);
    }
    fs.writeFileSync(path.join(tmp, '.filled'), '');
    await sh(`tar -C ${tmp} -cf - .filled | ${cp}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    await docker('rm', helper);
  }
}

/** Bytes in the dataset's volumes (files only, as `du -sb` counts them). */
export async function datasetBytes(dataset: Dataset) {
  const { stdout } = await shInDataset(dataset, 'du -sb /lifeboat');
  return Number(stdout.split(/\s/)[0]);
}

export type Timed<T> = { seconds: number; value: T };

/**
 * Times `work`, after flushing the page cache's dirty pages: a gigabyte written by the run before
 * would otherwise slow this one's writes (measured: seconds of difference).
 */
export async function timed<T>(work: () => Promise<T>): Promise<Timed<T>> {
  await sh('sync');
  return stopwatch(work);
}

/** Times `work` as it is (a step inside a timed run). */
export async function stopwatch<T>(work: () => Promise<T>): Promise<Timed<T>> {
  const start = performance.now();
  const value = await work();
  return { seconds: (performance.now() - start) / 1000, value };
}

export const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * KiB;

/** The peak resident memory of a process while `work` runs, sampled every 50 ms. */
export async function peakRss<T>(pid: number, work: () => Promise<T>): Promise<{ peak: number; value: T }> {
  let peak = rssOf(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 50);
  try {
    return { value: await work(), peak: Math.max(peak, rssOf(pid)) };
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
    console.error(`bench: ${started ? 'starting' : 'repairing'} the lab '${LAB}'…`);
    await labSh('up --controllers 3');
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-bench-'));
  process.env.LIFEBOAT_LAB_JSON ??= path.join(scratch, 'lab.json');
  fs.writeFileSync(process.env.LIFEBOAT_LAB_JSON, (await labSh('status --json')).stdout);
  const begun = performance.now();
  try {
    await work(scratch);
    console.log(`\n${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, ${((performance.now() - begun) / 60_000).toFixed(1)} min`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
    if (started) await labSh('down --purge'); // its CA too: no dashboard relies on it
  }
}

export function main(work: () => Promise<void>) {
  work().catch((error) => {
    console.error(`bench: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}
