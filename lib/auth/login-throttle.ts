import 'server-only';
import { db, takeWriteLock } from '@/lib/db';
import { ACCOUNT_RULE, ADDRESS_RULE, afterAttempt, lockedUntil, type ThrottleRule } from './throttle-rules';

export type SignInRefusal = { by: 'address' | 'account'; until: Date };

/** Rows untouched for this long are gone: names tried once and never again must not pile up. */
const FORGET_AFTER_MS = 24 * 3600_000;

const keysOf = (address: string, account: string): [SignInRefusal['by'], string, ThrottleRule][] => [
  ['account', `account:${account.toLowerCase()}`, ACCOUNT_RULE],
  ['address', `address:${address}`, ADDRESS_RULE],
];

/**
 * Counts one sign-in attempt, for its client address and for the account name, BEFORE the password is
 * checked: parallel attempts are all counted (under the write lock), and a locked key costs no scrypt.
 * A refusal when either is (now) locked.
 */
export async function countSignInAttempt(address: string, account: string, now = new Date()): Promise<SignInRefusal | null> {
  return db.$transaction(async (tx) => {
    await takeWriteLock(tx);
    await tx.loginThrottle.deleteMany({ where: { windowStart: { lt: new Date(now.getTime() - FORGET_AFTER_MS) }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] } });
    let refusal: SignInRefusal | null = null;
    for (const [by, key, rule] of keysOf(address, account)) {
      const row = await tx.loginThrottle.findUnique({ where: { key } });
      const locked = lockedUntil(row, now);
      if (locked) {
        refusal ??= { by, until: locked };
        continue;
      }
      const next = afterAttempt(row, now, rule);
      await tx.loginThrottle.upsert({ where: { key }, create: { key, ...next }, update: next });
      if (next.lockedUntil) refusal ??= { by, until: next.lockedUntil };
    }
    return refusal;
  });
}

/**
 * A good password: the account's count starts again, and the address gets back the attempt it spent (only
 * that one: a good account of one's own must not launder guesses at others).
 */
export async function signInSucceeded(address: string, account: string) {
  await db.$transaction([
    db.loginThrottle.deleteMany({ where: { key: `account:${account.toLowerCase()}` } }),
    db.loginThrottle.updateMany({ where: { key: `address:${address}`, lockedUntil: null, attempts: { gt: 0 } }, data: { attempts: { decrement: 1 } } }),
  ]);
}

export function refusalMessage(refusal: SignInRefusal, now = new Date()): string {
  const minutes = Math.max(1, Math.ceil((refusal.until.getTime() - now.getTime()) / 60_000));
  const whose = refusal.by === 'account' ? 'this account' : 'your address';
  return `too many sign-in attempts for ${whose}: try again in ${minutes} minute${minutes === 1 ? '' : 's'}`;
}
