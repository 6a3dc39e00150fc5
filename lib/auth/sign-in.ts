import 'server-only';
import { LifeboatError } from '@/lib/errors';
import { countSignInAttempt, refusalMessage, signInSucceeded } from './login-throttle';
import { checkCredentials } from './users';

export type SignInResult = { ok: true; user: { id: string; username: string } } | { ok: false; message: string };

/** A sign-in from `address`: counted and throttled first, then the password (on the password thread). */
export async function signIn(address: string, username: string, password: string): Promise<SignInResult> {
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
