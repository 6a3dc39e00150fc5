// Types of idle-share.mjs (plain JavaScript, for the OpenPGP worker).
export type CpuTimes = { idle: number; total: number };
export function hostCpuTimes(): CpuTimes;
export class IdleShare {
  duty: number;
  constructor(cpuTimes?: () => CpuTimes, now?: () => number);
  pauseAfter(workMs: number): number;
}
