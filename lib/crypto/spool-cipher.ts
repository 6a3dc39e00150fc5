import 'server-only';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Transform } from 'node:stream';

const SPOOL_CIPHER = 'aes-256-ctr';

/**
 * A throwaway key, held only in memory, for the on-disk spool that takes the engine's bytes while UCP
 * is stopped: no plaintext ever reaches the disk, and a crash leaves only unreadable bytes.
 */
export function newSpoolKey(): Buffer {
  return randomBytes(32);
}

export function newSpoolIv(): Buffer {
  return randomBytes(16);
}

export function spoolEncryptor(key: Buffer, iv: Buffer): Transform {
  return createCipheriv(SPOOL_CIPHER, key, iv);
}

export function spoolDecryptor(key: Buffer, iv: Buffer): Transform {
  return createDecipheriv(SPOOL_CIPHER, key, iv);
}
