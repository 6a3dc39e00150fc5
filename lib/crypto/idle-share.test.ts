import { describe, expect, it } from 'vitest';
import { hostCpuTimes, IdleShare } from './idle-share.mjs';

/** A host whose idle fraction the test sets, measured every 200 ms of a clock the test moves. */
function fakeHost() {
  const state = { idle: 0, total: 0, now: 0, idleFraction: 0 };
  const advance = (ms: number) => {
    state.now += ms;
    // Two cores: 2 ms of CPU time per ms.
    state.total += 2 * ms;
    state.idle += 2 * ms * state.idleFraction;
  };
  const share = new IdleShare(
    () => ({ idle: state.idle, total: state.total }),
    () => state.now,
  );
  /** Works `ms`, pauses as told, `turns` times; returns the duty then. */
  const run = (idleFraction: number, turns: number, ms = 5) => {
    state.idleFraction = idleFraction;
    for (let i = 0; i < turns; i++) advance(ms + share.pauseAfter(ms));
    return share.duty;
  };
  return { share, run };
}

describe('IdleShare', () => {
  it('works more while the host is idle, up to all the time', () => {
    const { share, run } = fakeHost();
    const before = share.duty;
    expect(run(0.5, 20)).toBeGreaterThan(before);
    expect(run(0.5, 200)).toBe(1);
    expect(share.pauseAfter(5)).toBe(0);
  });

  it('works less while the host is busy, down to a floor that keeps it going', () => {
    const { share, run } = fakeHost();
    const before = share.duty;
    expect(run(0, 20)).toBeLessThan(before);
    const floor = run(0, 500);
    expect(floor).toBe(0.05);
    expect(run(0, 100)).toBe(floor);
    // A turn of 5 ms at the floor's duty is followed by the rest of its share of time.
    expect(share.pauseAfter(5)).toBeCloseTo((5 * (1 - floor)) / floor);
  });

  it('keeps its duty while the host is a little idle', () => {
    const { run } = fakeHost();
    const duty = run(0.1, 1);
    expect(run(0.1, 200)).toBe(duty);
  });

  it("reads this host's CPU times", () => {
    const { idle, total } = hostCpuTimes();
    expect(total).toBeGreaterThan(0);
    expect(idle).toBeGreaterThanOrEqual(0);
    expect(idle).toBeLessThanOrEqual(total);
  });
});
