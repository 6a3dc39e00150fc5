import 'server-only';
import { recordAudit, type AuditResult } from '@/lib/audit/audit-log';
import { db } from '@/lib/db';
import { LifeboatError } from '@/lib/errors';
import { countSignInAttempt, refusalMessage, signInSucceeded } from './login-throttle';
import { passwordMatches } from './users';

export type SignInResult = { ok: true; user: { id: string; username: string } } | { ok: false; message: string };

type Account = Awaited<ReturnType<typeof db.user.findUnique>>;
type Attempt = { result: SignInResult; outcome: AuditResult };

const refused = (message: string): Attempt => ({ result: { ok: false, message }, outcome: 'refused' });

/** A sign-in from `address`: counted and throttled first, then the password (on the password thread); audited either way. */
export async function signIn(address: string, username: string, password: string): Promise<SignInResult> {
  const account = await db.user.findUnique({ where: { username } });
  const { result, outcome } = await attempt(address, account, username, password);
  // A name that is no user's is not kept: it may be a password typed into the wrong field.
  await recordAudit({
    actor: account ? `user:${username}` : 'user:?',
    address,
    action: 'login',
    result: outcome,
    detail: result.ok ? null : account ? result.message : `${result.message} (no such user)`,
  });
  return result;
}

async function attempt(address: string, account: Account, username: string, password: string): Promise<Attempt> {
  const refusal = await countSignInAttempt(address, username);
  if (refusal) return refused(refusalMessage(refusal));
  try {
    // One scrypt whether or not the name is a user's: unknown names answer as slowly.
    const matches = await passwordMatches(account, password);
    if (!account || !matches) return { result: { ok: false, message: 'wrong user name or password' }, outcome: 'failed' };
    // Said only to whoever knows the password: the name alone tells an attacker nothing.
    if (account.disabled) return refused('this account is disabled: ask an admin');
    await signInSucceeded(address, username);
    return { result: { ok: true, user: { id: account.id, username: account.username } }, outcome: 'ok' };
  } catch (error) {
    // The password thread is busy (too many sign-ins at once).
    if (error instanceof LifeboatError) return refused(error.message);
    throw error;
  }
}
