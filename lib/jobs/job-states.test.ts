import { describe, expect, it } from 'vitest';
import { canMove, FINAL_STATES, isFinal, isRunning, RUNNING_STATES, statesOf } from './job-states';

describe('job states', () => {
  it('splits the vocabulary into running and final states, with nothing in both', () => {
    for (const state of RUNNING_STATES) expect([isRunning(state), isFinal(state)]).toEqual([true, false]);
    for (const state of FINAL_STATES) expect([isRunning(state), isFinal(state)]).toEqual([false, true]);
    expect(isRunning('done')).toBe(false);
    expect(isFinal('done')).toBe(false);
  });

  it('moves between running states in any order, and from any running state to any final one', () => {
    expect(canMove('copying', 'stopping')).toBe(true);
    expect(canMove('checking', 'interrupted')).toBe(true);
    expect(canMove('writing', 'succeeded')).toBe(true);
  });

  it('keeps a final state final, but for a warning that resolves', () => {
    expect(canMove('succeeded', 'failed')).toBe(false);
    expect(canMove('failed', 'copying')).toBe(false);
    expect(canMove('interrupted', 'succeeded')).toBe(false);
    expect(canMove('warning', 'succeeded')).toBe(true);
    expect(canMove('warning', 'failed')).toBe(true);
    expect(canMove('warning', 'copying')).toBe(false);
  });

  it('reads the "running" filter as every running state', () => {
    expect(statesOf('running')).toEqual([...RUNNING_STATES]);
    expect(statesOf('warning')).toEqual(['warning']);
  });
});
