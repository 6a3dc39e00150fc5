import 'server-only';
import { recordAudit, type AuditResult } from '@/lib/audit/audit-log';
import { db } from '@/lib/db';
import { LifeboatError } from '@/lib/errors';
import { countSignInAttempt, refusalMessage, signInSucceeded } from './login-throttle';
import { checkCredentials } from './users';

export type SignInResult = { ok: true; user: { id: string; username: string } } | { ok: false; message: string };

/** A sign-in from `address`: counted and throttled first, then the password (on the password thread); audited either way. */
export async function signIn(address: string, username: string, password: string): Promise<SignInResult> {
  const result = await attempt(address, username, password);
  const outcome: AuditResult = result.ok ? 'ok' : result.message === 'wrong user name or password' ? 'failed' : 'refused';
  // A name that is no user's is not kept: it may be a password typed into the wrong field.
  const known = result.ok || (await db.user.count({ where: { username } })) > 0;
  await recordAudit({
    actor: known ? `user:${username}` : 'user:?',
    address,
    action: 'login',
    result: outcome,
    detail: result.ok ? null : known ? result.message : `${result.message} (no such user)`,
  });
  return result;
}

async function attempt(address: string, username: string, password: string): Promise<SignInResult> {
  const refusal = await countSignInAttempt(address, username);
  if (refusal) return { ok: false, message: refusalMessage(refusal) };
  try {
    const user = await checkCredentials(username, password);
    if (!user) return { ok: false, message: 'wrong user name or password' };
    await signInSucceeded(address, username);
    return { ok: true, user };
  } catch (error) {
    if (error instanceof LifeboatError) return { ok: false, message: error.message };
    throw error;
  }
}
