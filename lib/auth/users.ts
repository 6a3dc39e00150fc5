import 'server-only';
import { db } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import { generatePassword, hashPassword, verifyPassword } from './password';
import { passwordProblem } from './password-rule';
import { setUserPassword } from './user-admin';

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
    await db.user.create({ data: { username: ADMIN_USERNAME, role: 'admin', passwordHash: await hashPassword(password) } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return { created: false };
    throw error;
  }
  return { created: true, password, generated: !fromEnv };
}

/**
 * The way back in, for root on the server: a new password, and the account an enabled admin again (if
 * it was demoted or disabled, and nobody else can manage Lifeboat, this is how to recover).
 */
export async function resetPassword(username: string, password: string) {
  const user = await db.user.findUnique({ where: { username } });
  if (!user) throw new Error(`no user named ${username}`);
  await setUserPassword(user.id, password);
  await db.user.update({ where: { id: user.id }, data: { role: 'admin', disabled: false } });
}

/** Whether `password` is the account's; costs one scrypt either way, so unknown names answer as slowly. */
export function passwordMatches(account: { passwordHash: string } | null, password: string): Promise<boolean> {
  return verifyPassword(password, account?.passwordHash ?? DUMMY_HASH).then((ok) => ok && account !== null);
}

// Verifying against a fixed hash keeps unknown usernames as slow as known ones.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
