// Breaking a restore on purpose, in the middle of its write pass.
import fs from 'node:fs';
import path from 'node:path';
import { apiJson } from './api';
import { until } from './until';

export type RestoreJson = {
  id: string;
  phase: string;
  running: boolean;
  status: string;
  error: { message: string } | string | null;
  volumes: string | null;
  attention: string | null;
  target: { hostname: string };
};

const fromTestServer = async () => (await apiJson<{ restores: RestoreJson[] }>('/api/v1/restores')).restores;

/** The running restore onto `node` once it reached one of `phases`, from `list` (the API of the server that runs it). */
export function restoreIn(node: string, phases: string[], list: () => Promise<RestoreJson[]> = fromTestServer) {
  return until(async () => (await list()).find((r) => r.running && r.target.hostname === node && phases.includes(r.phase)) ?? null, `a restore in ${phases.join(' or ')}`);
}

/** Flips one byte in the last record of the restore's biggest verified spool: the write pass meets it last. */
export function changeLastRecord(dataDir: string, restoreId: string) {
  const spoolDir = path.join(dataDir, 'spool');
  const spools = fs.readdirSync(spoolDir).filter((name) => new RegExp(`^${restoreId}\\.\\d+\\.spool$`).test(name));
  const biggest = spools.map((name) => path.join(spoolDir, name)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
  const fd = fs.openSync(biggest, 'r+');
  try {
    const at = fs.fstatSync(fd).size - 100;
    const byte = Buffer.alloc(1);
    fs.readSync(fd, byte, 0, 1, at);
    fs.writeSync(fd, Buffer.from([byte[0] ^ 0xff]), 0, 1, at);
  } finally {
    fs.closeSync(fd);
  }
}
