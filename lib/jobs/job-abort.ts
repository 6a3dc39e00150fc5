import { LifeboatError } from '@/lib/errors';
import type { FinalState } from './job-states';

/** Why a job was stopped from outside its own work; `state` is how it ends. */
export class JobAborted extends LifeboatError {
  constructor(
    readonly state: Extract<FinalState, 'failed' | 'cancelled' | 'interrupted'>,
    message: string,
  ) {
    super('conflict', message);
    this.name = 'JobAborted';
  }
}

/** The final state a job's failure means: what aborted it decides, else `failed`. */
export function finalStateOf(error: unknown): 'failed' | 'cancelled' | 'interrupted' {
  return error instanceof JobAborted ? error.state : 'failed';
}
