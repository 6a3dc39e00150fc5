import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { config } from '@/lib/config';
import { db } from '@/lib/db';
import { isRole, type Role } from './permissions';
import { SESSION_COOKIE } from './session-cookie';
import { hashSecret, newSecret } from './token-hash';

export type SessionUser = { id: string; username: string; role: Role; kind: 'user' };

export async function startSession(userId: string) {
  const token = newSecret();
  const expiresAt = new Date(Date.now() + config.sessionHours * 3600_000);
  await db.session.create({ data: { id: hashSecret(token), userId, expiresAt } });
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.https,
    path: '/',
    expires: expiresAt,
  });
}

export async function endSession() {
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  if (token) await db.session.deleteMany({ where: { id: hashSecret(token) } });
  jar.delete(SESSION_COOKIE);
}

/** The user behind a session token, or null when it is unknown or expired. */
export async function userForSessionToken(token: string | undefined): Promise<SessionUser | null> {
  if (!token) return null;
  const session = await db.session.findUnique({ where: { id: hashSecret(token) }, include: { user: true } });
  if (!session || session.expiresAt.getTime() <= Date.now() || session.user.disabled) return null;
  const { id, username, role } = session.user;
  return { id, username, role: isRole(role) ? role : 'viewer', kind: 'user' };
}

export const currentUser = cache(async () => userForSessionToken((await cookies()).get(SESSION_COOKIE)?.value));

/** For pages and server actions: the signed-in user, or a redirect to the login page. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect('/login');
  return user;
}
