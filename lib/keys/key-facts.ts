import 'server-only';
import * as openpgp from 'openpgp';
import type { Recipients } from '@/lib/crypto/archive-encryption';
import { LifeboatError } from '@/lib/errors';

/** What the operator needs to know of a public key to trust it with backups. */
export type KeyFacts = { fingerprint: string; userIds: string[]; algorithm: string; createdAt: Date; expiresAt: Date | null };

/** Who can open an archive, as the history records it: whether its passphrase does, and which keys. */
export type EncryptedTo = { passphrase: boolean; keys: { fingerprint: string; userId: string }[] };

/** A public key that can take backups now, with its facts and its armor (normalised: the key alone). */
export type UsableKey = KeyFacts & { armored: string };

function refuse(message: string): never {
  throw new LifeboatError('invalid_input', message);
}

/**
 * Reads one armored OpenPGP public key and checks that backups can be encrypted to it at `now`:
 * not a private key, not revoked, not expired, with a valid encryption (sub)key.
 */
export async function readUsableKey(armoredKey: string, now = new Date()): Promise<UsableKey> {
  let keys: openpgp.Key[];
  try {
    keys = await openpgp.readKeys({ armoredKeys: armoredKey.trim() });
  } catch (error) {
    refuse(`this is not an armored OpenPGP public key (${error instanceof Error ? error.message : String(error)})`);
  }
  if (keys.length !== 1) refuse(`this block holds ${keys.length} keys: import one key at a time`);
  const [key] = keys;
  if (key.isPrivate()) refuse('this is a private key: import its public part (gpg --armor --export <key>). Lifeboat never stores private keys');
  const facts = await factsOf(key);
  const name = `key ${facts.fingerprint}`;
  if (await key.isRevoked(undefined, undefined, now)) refuse(`${name} is revoked`);
  if (facts.expiresAt && facts.expiresAt <= now) refuse(`${name} expired on ${facts.expiresAt.toISOString().slice(0, 10)}`);
  try {
    await key.getEncryptionKey(undefined, now);
  } catch (error) {
    refuse(`${name} cannot encrypt: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { ...facts, armored: key.armor() };
}

async function factsOf(key: openpgp.Key): Promise<KeyFacts> {
  const expiration = await key.getExpirationTime();
  const encryption = await key.getEncryptionKey().catch(() => key);
  const { algorithm, bits, curve } = encryption.getAlgorithmInfo();
  return {
    fingerprint: key.getFingerprint().toUpperCase(),
    userIds: key.getUserIDs(),
    algorithm: [algorithm, bits, curve?.replace(/Legacy$/, '')].filter(Boolean).join(' '),
    createdAt: key.getCreationTime(),
    expiresAt: expiration instanceof Date ? expiration : null,
  };
}

/** How the history names who can open an archive encrypted to `recipients` (their keys armored, public or private). */
export async function encryptedToOf(recipients: Recipients): Promise<EncryptedTo> {
  const keys = await Promise.all((recipients.publicKeys ?? []).map((armoredKey) => openpgp.readKey({ armoredKey })));
  return { passphrase: Boolean(recipients.passphrase), keys: keys.map((k) => ({ fingerprint: k.getFingerprint().toUpperCase(), userId: k.getUserIDs()[0] ?? '' })) };
}

/** Refuses, before anything changes, recipients whose keys (public or private, armored) cannot be encrypted to now; `why` says what needs them. */
export async function refuseUnusableRecipients(recipients: Recipients, why: string) {
  for (const armoredKey of recipients.publicKeys ?? []) {
    const key = await openpgp.readKey({ armoredKey }).catch((error) => refuse(`the key cannot be read (${error instanceof Error ? error.message : String(error)})`));
    try {
      await key.toPublic().getEncryptionKey();
    } catch (error) {
      refuse(
        `key ${key.getFingerprint().toUpperCase()} cannot encrypt (${error instanceof Error ? error.message : String(error)}), and ${why}: restore with a passphrase, or without the safety copy`,
      );
    }
  }
}
