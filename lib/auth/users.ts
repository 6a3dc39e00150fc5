import 'server-only';
import { db } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from './password';

export const ADMIN_USERNAME = 'admin';

export type AdminBootstrap = { created: false } | { created: true; password: string; generated: boolean };

/** On first start: create the admin account, with LIFEBOAT_ADMIN_PASSWORD or a generated password. */
export async function ensureAdmin(): Promise<AdminBootstrap> {
  if ((await db.user.count()) > 0) return { created: false };
  const fromEnv = process.env.LIFEBOAT_ADMIN_PASSWORD;
  const problem = fromEnv ? passwordProblem(fromEnv) : null;
  if (problem) throw new Error(`LIFEBOAT_ADMIN_PASSWORD: ${problem}`);
  const password = fromEnv || generatePassword();
  // Two servers starting at once on a new data directory: one creates the account, the other finds it.
  try {
    await db.user.create({ data: { username: ADMIN_USERNAME, passwordHash: await hashPassword(password) } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return { created: false };
    throw error;
  }
  return { created: true, password, generated: !fromEnv };
}

export async function resetPassword(username: string, password: string) {
  const problem = passwordProblem(password);
  if (problem) throw new Error(problem);
  const user = await db.user.findUnique({ where: { username } });
  if (!user) throw new Error(`no user named ${username}`);
  // A new password also ends the account's lock: resetting is how an admin locked out gets back in.
  await db.$transaction([
    db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } }),
    db.session.deleteMany({ where: { userId: user.id } }),
    db.loginThrottle.deleteMany({ where: { key: `account:${username.toLowerCase()}` } }),
  ]);
}

/** The user when the credentials match, else null; costs one scrypt either way. */
export async function checkCredentials(username: string, password: string) {
  const user = await db.user.findUnique({ where: { username } });
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  return user && ok ? { id: user.id, username: user.username } : null;
}

// Verifying against a fixed hash keeps unknown usernames as slow as known ones.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
