// A thread's background share of the host's cores (see openpgp-worker.mjs). Plain JavaScript: the
// worker imports it by path.
import os from 'node:os';

/** How often the host's idle time is measured. */
const SAMPLE_MS = 200;
/** The idle fraction the thread leaves to others: it works more above the upper bound, less below the lower. */
const IDLE_HIGH = 0.15;
const IDLE_LOW = 0.05;
const MIN_DUTY = 0.05;

/** The host's CPU time so far, in ms, all cores: idle and total. */
export function hostCpuTimes() {
  let idle = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    idle += times.idle;
    total += times.user + times.nice + times.sys + times.idle + times.irq;
  }
  return { idle, total };
}

/**
 * Work that takes only the CPU nobody else wants. Linux's nice value cannot give that: it orders the
 * threads of one scheduling group (an autogroup, a cgroup), and the engine and the containers a backup
 * starts run in another, so a niced thread still takes its group's half of the cores from them. Instead, the
 * work runs in turns and pauses between them, long enough to keep the host a little idle: its duty
 * (the fraction of time it works) grows while the host is idle and shrinks while it is not.
 */
export class IdleShare {
  duty = 0.25;

  constructor(cpuTimes = hostCpuTimes, now = () => performance.now()) {
    this.cpuTimes = cpuTimes;
    this.now = now;
    this.last = cpuTimes();
    this.lastAt = now();
  }

  /** After a turn of `workMs`: how long to pause before the next. */
  pauseAfter(workMs) {
    const at = this.now();
    if (at - this.lastAt >= SAMPLE_MS) {
      const times = this.cpuTimes();
      const total = times.total - this.last.total;
      const idle = total > 0 ? (times.idle - this.last.idle) / total : 0;
      if (idle > IDLE_HIGH) this.duty = Math.min(1, this.duty * 1.25);
      else if (idle < IDLE_LOW) this.duty = Math.max(MIN_DUTY, this.duty * 0.7);
      this.last = times;
      this.lastAt = at;
    }
    return (workMs * (1 - this.duty)) / this.duty;
  }
}
