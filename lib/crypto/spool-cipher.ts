import 'server-only';
import { createCipheriv, randomBytes } from 'node:crypto';
import type { Transform } from 'node:stream';

/** AES-256-CTR; the encryption pass worker (lib/backup/encryption-pass.worker.mjs) decrypts with the same. */
export const SPOOL_CIPHER = 'aes-256-ctr';

export type SpoolKey = { key: Buffer; iv: Buffer };

/**
 * A throwaway key, held only in memory, for the on-disk spool between the engine read and the OpenPGP
 * pass: no plaintext ever reaches the disk, and a crash leaves only unreadable bytes.
 */
export function newSpoolKey(): SpoolKey {
  return { key: randomBytes(32), iv: randomBytes(16) };
}

export function spoolEncryptor({ key, iv }: SpoolKey): Transform {
  return createCipheriv(SPOOL_CIPHER, key, iv);
}
