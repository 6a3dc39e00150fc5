import { describe, expect, it } from 'vitest';
import { afterAttempt, lockedUntil, type ThrottleRule, type ThrottleState } from './throttle-rules';

const rule: ThrottleRule = { attempts: 3, windowMs: 60_000, lockMs: 300_000 };
const at = (seconds: number) => new Date(Date.UTC(2026, 11, 3, 12, 0, seconds));

describe('sign-in throttle rules', () => {
  it('locks on the attempt past the limit within the window, for lockMs', () => {
    let state = null;
    for (const second of [0, 10, 20]) {
      state = afterAttempt(state, at(second), rule);
      expect(state.lockedUntil).toBeNull();
    }
    state = afterAttempt(state, at(30), rule);
    expect(state.lockedUntil).toEqual(new Date(at(30).getTime() + 300_000));
    expect(lockedUntil(state, at(31))).toEqual(state.lockedUntil);
  });

  it('starts a new window once the last one has passed', () => {
    let state = afterAttempt(null, at(0), rule);
    state = afterAttempt(state, at(10), rule);
    state = afterAttempt(state, at(20), rule);
    state = afterAttempt(state, at(61), rule);
    expect(state).toEqual({ attempts: 1, windowStart: at(61), lockedUntil: null });
  });

  it('keeps a lock as it is while it lasts (attempts meanwhile do not extend it), and lets go after', () => {
    let state: ThrottleState = { attempts: 4, windowStart: at(0), lockedUntil: at(300) };
    expect(afterAttempt(state, at(100), rule)).toBe(state);
    expect(lockedUntil(state, at(301))).toBeNull();
    state = afterAttempt(state, at(301), rule);
    expect(state).toEqual({ attempts: 1, windowStart: at(301), lockedUntil: null });
  });
});
