import 'server-only';
import { db } from '@/lib/db';
import { LifeboatError } from '@/lib/errors';
import type { EncryptionKey } from '@/lib/generated/prisma/client';
import { readUsableKey, type EncryptedTo, type KeyFacts } from './key-facts';

/**
 * The one place that keeps the public keys backups are encrypted to. Checked when imported, and again
 * whenever a backup is to be encrypted to them (a key may have expired since).
 */

export type PublicKeyView = KeyFacts & { id: string; addedBy: string; addedAt: Date };

function toView(row: EncryptionKey): PublicKeyView {
  return {
    id: row.id,
    fingerprint: row.fingerprint,
    userIds: JSON.parse(row.userIds) as string[],
    algorithm: row.algorithm,
    createdAt: row.keyCreatedAt,
    expiresAt: row.expiresAt,
    addedBy: row.addedBy,
    addedAt: row.createdAt,
  };
}

export async function importPublicKey(armoredKey: string, addedBy: string): Promise<PublicKeyView> {
  const key = await readUsableKey(armoredKey);
  if (await db.encryptionKey.findUnique({ where: { fingerprint: key.fingerprint } })) {
    throw new LifeboatError('conflict', `key ${key.fingerprint} is already imported`);
  }
  const row = await db.encryptionKey.create({
    data: {
      fingerprint: key.fingerprint,
      userIds: JSON.stringify(key.userIds),
      algorithm: key.algorithm,
      keyCreatedAt: key.createdAt,
      expiresAt: key.expiresAt,
      armored: key.armored,
      addedBy,
    },
  });
  return toView(row);
}

export async function listPublicKeys(): Promise<PublicKeyView[]> {
  return (await db.encryptionKey.findMany({ orderBy: { createdAt: 'asc' } })).map(toView);
}

/**
 * Removes a key; backups encrypted to it keep its fingerprint in the history (its private key still opens
 * them). A key a policy encrypts to stays until the policy stops using it: its runs would fail.
 */
export async function removePublicKey(id: string) {
  const key = await db.encryptionKey.findUnique({ where: { id }, select: { fingerprint: true } });
  const users = key ? await db.policy.findMany({ where: { keys: { contains: key.fingerprint } }, select: { name: true } }) : [];
  if (users.length > 0) throw new LifeboatError('conflict', `the policies ${users.map((p) => `"${p.name}"`).join(', ')} encrypt to this key: choose other keys for them first`);
  const { count } = await db.encryptionKey.deleteMany({ where: { id } });
  if (count === 0) throw new LifeboatError('not_found', `no key has the id ${id}`);
}

/** The stored keys with these fingerprints, each still able to take a backup now (armored), and how the history names them. */
export async function recipientKeys(fingerprints: string[]): Promise<{ armored: string[]; keys: EncryptedTo['keys'] }> {
  const wanted = [...new Set(fingerprints.map((f) => f.toUpperCase()))];
  const rows = await db.encryptionKey.findMany({ where: { fingerprint: { in: wanted } } });
  const missing = wanted.filter((f) => !rows.some((r) => r.fingerprint === f));
  if (missing.length > 0) throw new LifeboatError('invalid_input', `no imported key has the fingerprint ${missing.join(', ')} (import it under Settings)`);
  const usable = await Promise.all(wanted.map((f) => readUsableKey(rows.find((r) => r.fingerprint === f)!.armored)));
  return { armored: usable.map((k) => k.armored), keys: usable.map((k) => ({ fingerprint: k.fingerprint, userId: k.userIds[0] ?? '' })) };
}
