import 'server-only';
import { db } from '@/lib/db';
import { LifeboatError } from '@/lib/errors';
import { parseScopes, type Scope } from './permissions';
import { hashSecret, newSecret } from './token-hash';

const TOKEN_PREFIX = 'lbt_';

export type NewToken = { name: string; scopes: Scope[]; expiresAt: Date | null };

/** Creates a token; the plaintext is returned once and only its hash is stored. */
export async function createApiToken({ name, scopes, expiresAt }: NewToken) {
  if (scopes.length === 0) throw new LifeboatError('invalid_input', 'give the token at least one scope: read, backup, restore or admin');
  if (expiresAt && expiresAt.getTime() <= Date.now()) throw new LifeboatError('invalid_input', 'the expiry must be in the future');
  if (await db.apiToken.findUnique({ where: { name } })) {
    throw new LifeboatError('conflict', `a token named "${name}" already exists`);
  }
  const token = newSecret(TOKEN_PREFIX);
  const row = await db.apiToken.create({
    data: { name, tokenHash: hashSecret(token), prefix: token.slice(0, TOKEN_PREFIX.length + 6), scopes: scopes.join(','), expiresAt },
  });
  return { id: row.id, name: row.name, token };
}

export async function listApiTokens() {
  const rows = await db.apiToken.findMany({
    orderBy: { createdAt: 'desc' },
    select: { id: true, name: true, prefix: true, scopes: true, expiresAt: true, createdAt: true, lastUsedAt: true },
  });
  return rows.map((row) => ({ ...row, scopes: parseScopes(row.scopes), expired: row.expiresAt !== null && row.expiresAt.getTime() <= Date.now() }));
}

export async function revokeApiToken(id: string) {
  await db.apiToken.deleteMany({ where: { id } });
}

/** The token behind a bearer secret, when it is valid and not expired; its use is recorded. */
export async function tokenForBearer(token: string): Promise<{ id: string; name: string; scopes: Scope[] } | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashSecret(token) } });
  if (!row) return null;
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) {
    throw new LifeboatError('unauthorized', `the API token "${row.name}" expired at ${row.expiresAt.toISOString()}`);
  }
  await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  return { id: row.id, name: row.name, scopes: parseScopes(row.scopes) };
}
