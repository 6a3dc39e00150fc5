// Best of the runs, the targets, and the markdown tables the README takes as they are.
import { MiB, type Dataset } from './bench-lab';
import type { Timings, Transport } from './lifeboat';

export type Run = { seconds: number; downtime?: number; rss?: number; timings?: Timings; steps?: Record<string, number> };
export type Best = { seconds: number; downtime: number; rss: number; timings?: Timings; steps: Record<string, number> };

/** The shortest time and downtime, each step's shortest, the highest memory, and the fastest run's breakdown. */
export function best(runs: Run[]): Best {
  const fastest = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const steps: Record<string, number> = {};
  for (const key of Object.keys(fastest.steps ?? {})) steps[key] = Math.min(...runs.map((r) => r.steps![key]));
  return {
    seconds: fastest.seconds,
    downtime: Math.min(...runs.map((r) => r.downtime ?? 0)),
    rss: Math.max(...runs.map((r) => r.rss ?? 0)),
    timings: fastest.timings,
    steps,
  };
}

/** Collects runs under a key ('<dataset> <what>') and gives the best of each. */
export class Runs {
  private runs = new Map<string, Run[]>();
  private latest: string[] = [];
  add(key: string, run: Run) {
    this.runs.set(key, [...(this.runs.get(key) ?? []), run]);
    this.latest.push(`${key.replace(/^\S+ /, '')} ${secs(run.seconds)}`);
  }
  /** The runs added since the last call, for a progress line. */
  progress() {
    const line = this.latest.join(', ');
    this.latest = [];
    return line;
  }
  best(key: string) {
    const runs = this.runs.get(key);
    if (!runs) throw new Error(`no runs of ${key}`);
    return best(runs);
  }
}

export const secs = (s: number) => `${s.toFixed(2)} s`;
export const mib = (bytes: number) => `${(bytes / MiB).toFixed(0)} MiB`;
export const rate = (bytes: number, s: number) => `${secs(s)} (${(bytes / 1e6 / s).toFixed(0)} MB/s)`;
const verdict = (ok: boolean, target: string) => `${ok ? 'PASS' : 'FAIL'} (${target})`;

/** CLI time / Lifeboat time: above 1, Lifeboat is faster. */
export function ratio(cli: number, lifeboat: number, atLeast?: number) {
  if (lifeboat <= 0) return '—';
  const value = cli / lifeboat;
  return atLeast === undefined ? value.toFixed(2) : `${value.toFixed(2)} ${verdict(value >= atLeast, `≥ ${atLeast.toFixed(1)}`)}`;
}

export const atMost = (value: number, limit: number, show: (n: number) => string) => `${show(value)} ${verdict(value <= limit, `≤ ${show(limit)}`)}`;

/** Memory above idle, with its limit when the row has one. */
export const memory = (rss: number, limitMiB?: number) => (limitMiB === undefined ? mib(rss) : atMost(rss, limitMiB * MiB, mib));

/** The record's `timings` (milliseconds per step), in seconds; '—' while the record carries none. */
export function breakdown(timings: Timings) {
  if (!timings || !Object.keys(timings).length) return '—';
  return Object.entries(timings)
    .map(([step, ms]) => `${step.replace(/Ms$/, '')} ${(ms / 1000).toFixed(2)}`)
    .join(' · ');
}

export const COMPARISON_HEADER = ['CLI', 'Lifeboat', 'CLI / Lifeboat', 'CLI downtime', 'Lifeboat downtime', 'CLI / Lifeboat downtime', 'RSS above idle', "Lifeboat's time (s)"];

/** A row's figures: both times and their ratio, both downtimes and theirs, memory, Lifeboat's breakdown; with the row's targets. */
export function comparison(cli: Best, lifeboat: Best, targets: { ratio?: number; downtime?: number; rssMiB?: number } = {}, stops = true) {
  const downtimes = stops
    ? [secs(cli.downtime), targets.downtime === undefined ? secs(lifeboat.downtime) : atMost(lifeboat.downtime, targets.downtime, secs), ratio(cli.downtime, lifeboat.downtime)]
    : ['—', '—', '—'];
  return [
    secs(cli.seconds),
    secs(lifeboat.seconds),
    ratio(cli.seconds, lifeboat.seconds, targets.ratio),
    ...downtimes,
    memory(lifeboat.rss, targets.rssMiB),
    breakdown(lifeboat.timings),
  ];
}

export function table(headers: string[], rows: string[][]) {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** How far apart the datasets' memory figures are, per transport: the target is under 20 MiB. */
export function memorySpread(title: string, datasets: Dataset[], transports: Transport[], rssOf: (dataset: Dataset, transport: Transport) => number) {
  const rows = transports.map((transport) => {
    const figures = datasets.map((d) => rssOf(d, transport));
    const spread = Math.max(...figures) - Math.min(...figures);
    return [transport, ...figures.map(mib), datasets.length > 1 ? `${mib(spread)} ${verdict(spread < 20 * MiB, '< 20 MiB')}` : '—'];
  });
  return table([title, ...datasets.map((d) => d.label), 'spread'], rows);
}
