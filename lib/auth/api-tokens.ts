import 'server-only';
import { db } from '@/lib/db';
import { LifeboatError } from '@/lib/errors';
import { hashSecret, newSecret } from './token-hash';

const TOKEN_PREFIX = 'lbt_';

/** Creates a token; the plaintext is returned once and only its hash is stored. */
export async function createApiToken(name: string) {
  if (await db.apiToken.findUnique({ where: { name } })) {
    throw new LifeboatError('conflict', `a token named "${name}" already exists`);
  }
  const token = newSecret(TOKEN_PREFIX);
  const row = await db.apiToken.create({
    data: { name, tokenHash: hashSecret(token), prefix: token.slice(0, TOKEN_PREFIX.length + 6) },
  });
  return { id: row.id, name: row.name, token };
}

export function listApiTokens() {
  return db.apiToken.findMany({
    orderBy: { createdAt: 'desc' },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true },
  });
}

export async function revokeApiToken(id: string) {
  await db.apiToken.deleteMany({ where: { id } });
}

/** The token's name when the bearer token is valid, else null. */
export async function principalForBearer(token: string): Promise<string | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashSecret(token) } });
  if (!row) return null;
  await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  return row.name;
}
