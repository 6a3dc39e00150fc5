/**
 * The one vocabulary of jobs, for backups, restores and verifications alike: what the history, the API's
 * status filter and the pages say. A job moves forward through running states and ends in a final one.
 */
export const RUNNING_STATES = ['queued', 'checking', 'stopping', 'copying', 'starting', 'encrypting', 'writing'] as const;
/**
 * `warning`: finished, but something needs a hand (containers that did not start again). `skipped`: a
 * scheduled backup that never started (the quorum guard refused it, or its policy lacks the outage
 * consent); no job ran.
 */
export const FINAL_STATES = ['succeeded', 'warning', 'failed', 'cancelled', 'interrupted', 'skipped'] as const;
export const JOB_STATES = [...RUNNING_STATES, ...FINAL_STATES] as const;

export type RunningState = (typeof RUNNING_STATES)[number];
export type FinalState = (typeof FINAL_STATES)[number];
export type JobState = RunningState | FinalState;

/** Milliseconds spent in each running state so far, and in the steps timed apart within one. */
export type JobTimings = Partial<Record<string, number>>;
export type JobKind = 'backup' | 'restore' | 'verify';

export function isFinal(state: string): state is FinalState {
  return (FINAL_STATES as readonly string[]).includes(state);
}

export function isRunning(state: string): state is RunningState {
  return (RUNNING_STATES as readonly string[]).includes(state);
}

/**
 * Which moves are allowed. Running states follow each other in any order (a restore copies, stops,
 * writes, starts); a final state is final, except that a `warning` about containers resolves once
 * they start again (to `succeeded`), or once someone gives up on them (`failed`).
 */
export function canMove(from: JobState, to: JobState): boolean {
  if (isRunning(from)) return true;
  return from === 'warning' && (to === 'succeeded' || to === 'failed');
}

/** What the API's and the history page's status filter accept: a state, or "running" for any running state. */
export const STATUS_FILTERS = ['running', ...JOB_STATES] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export function statesOf(filter: StatusFilter): JobState[] {
  return filter === 'running' ? [...RUNNING_STATES] : [filter];
}
