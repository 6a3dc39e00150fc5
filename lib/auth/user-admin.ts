import 'server-only';
import { db, takeWriteLock, type Db } from '@/lib/db';
import { LifeboatError } from '@/lib/errors';
import { Prisma } from '@/lib/generated/prisma/client';
import { generatePassword, hashPassword } from './password';
import { passwordProblem } from './password-rule';
import { isRole, type Role } from './permissions';

export type UserView = { id: string; username: string; role: Role; disabled: boolean; createdAt: Date };

export async function listUsers(): Promise<UserView[]> {
  const rows = await db.user.findMany({ orderBy: { username: 'asc' } });
  return rows.map((r) => ({ id: r.id, username: r.username, role: isRole(r.role) ? r.role : 'viewer', disabled: r.disabled, createdAt: r.createdAt }));
}

/** A new user with `password`, or a generated one (returned, to be shown once). */
export async function createUser(input: { username: string; role: Role; password?: string }): Promise<{ username: string; password: string; generated: boolean }> {
  const password = input.password ?? generatePassword();
  try {
    await db.user.create({ data: { username: input.username, role: input.role, passwordHash: await hashPassword(password) } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new LifeboatError('conflict', `a user named "${input.username}" already exists`);
    throw error;
  }
  return { username: input.username, password, generated: !input.password };
}

/** Refuses what would leave nobody able to manage Lifeboat: the last enabled admin demoted or disabled. */
async function keepAnAdmin(tx: Db, id: string, after: { role: Role; disabled: boolean }) {
  if (after.role === 'admin' && !after.disabled) return;
  const others = await tx.user.count({ where: { role: 'admin', disabled: false, id: { not: id } } });
  if (others === 0) throw new LifeboatError('conflict', 'this is the last enabled admin: make another user an admin first');
}

async function userRow(tx: Db, id: string) {
  const user = await tx.user.findUnique({ where: { id } });
  if (!user) throw new LifeboatError('not_found', 'no such user');
  return user;
}

export async function changeRole(id: string, role: Role) {
  await db.$transaction(async (tx) => {
    await takeWriteLock(tx);
    const user = await userRow(tx, id);
    await keepAnAdmin(tx, id, { role, disabled: user.disabled });
    await tx.user.update({ where: { id }, data: { role } });
  });
}

/** Disabling ends the user's sessions at once; a user cannot disable itself. */
export async function setDisabled(actorId: string, id: string, disabled: boolean) {
  if (disabled && actorId === id) throw new LifeboatError('conflict', 'you cannot disable yourself');
  await db.$transaction(async (tx) => {
    await takeWriteLock(tx);
    const user = await userRow(tx, id);
    await keepAnAdmin(tx, id, { role: isRole(user.role) ? user.role : 'viewer', disabled });
    await tx.user.update({ where: { id }, data: { disabled } });
    if (disabled) await tx.session.deleteMany({ where: { userId: id } });
  });
}

/** A new password: the user's sessions end and its sign-in lock lifts (how an admin locked out gets back in). */
export async function setUserPassword(id: string, password: string): Promise<{ username: string }> {
  const problem = passwordProblem(password);
  if (problem) throw new LifeboatError('invalid_input', problem);
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    const user = await userRow(tx, id);
    await tx.user.update({ where: { id }, data: { passwordHash } });
    await tx.session.deleteMany({ where: { userId: id } });
    await tx.loginThrottle.deleteMany({ where: { key: `account:${user.username.toLowerCase()}` } });
    return { username: user.username };
  });
}

/** A generated password, returned to be shown once. */
export async function resetUserPassword(id: string): Promise<{ username: string; password: string }> {
  const password = generatePassword();
  return { ...(await setUserPassword(id, password)), password };
}
