/** How many sign-in attempts a key may make within `windowMs` before it is locked for `lockMs`. */
export type ThrottleRule = { attempts: number; windowMs: number; lockMs: number };

// An account is guessed at slowly: 10 tries per 15 minutes. An address may try more (several people
// behind one NAT), 30, but not many accounts each at 10.
export const ACCOUNT_RULE: ThrottleRule = { attempts: 10, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
export const ADDRESS_RULE: ThrottleRule = { attempts: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

export type ThrottleState = { attempts: number; windowStart: Date; lockedUntil: Date | null };

/** The state after one more attempt at `now`: a new window when the last one has passed; locked when over the rule. */
export function afterAttempt(state: ThrottleState | null, now: Date, rule: ThrottleRule): ThrottleState {
  if (state?.lockedUntil && state.lockedUntil > now) return state;
  const fresh = !state || now.getTime() - state.windowStart.getTime() >= rule.windowMs || state.lockedUntil !== null;
  const attempts = fresh ? 1 : state.attempts + 1;
  const windowStart = fresh ? now : state.windowStart;
  return { attempts, windowStart, lockedUntil: attempts > rule.attempts ? new Date(now.getTime() + rule.lockMs) : null };
}

/** When a key's lock ends, or null when it may try now. */
export function lockedUntil(state: ThrottleState | null, now: Date): Date | null {
  return state?.lockedUntil && state.lockedUntil > now ? state.lockedUntil : null;
}
