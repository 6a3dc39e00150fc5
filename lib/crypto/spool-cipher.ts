import 'server-only';
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Transform } from 'node:stream';

const SPOOL_CIPHER = 'aes-256-ctr';

/**
 * A throwaway key, held only in memory, for the on-disk spools a job writes: no plaintext ever reaches
 * the disk, and a crash leaves only unreadable bytes. 64 bytes: one half encrypts (AES-256-CTR), the
 * other authenticates (HMAC-SHA256 over the ciphertext), so a spool changed on disk is noticed.
 */
export function newSpoolKey(): Buffer {
  return randomBytes(64);
}

export function newSpoolIv(): Buffer {
  return randomBytes(16);
}

/** Encrypts, then MACs what it wrote; `tag()` is the MAC once the stream has flushed. */
export function spoolSealer(key: Buffer, iv: Buffer): Transform & { tag: () => Buffer } {
  checkKey(key);
  const cipher = createCipheriv(SPOOL_CIPHER, key.subarray(0, 32), iv);
  const mac = createHmac('sha256', key.subarray(32));
  let tag: Buffer | null = null;
  const sealer = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const sealed = cipher.update(chunk);
      mac.update(sealed);
      callback(null, sealed);
    },
    flush(callback) {
      tag = mac.digest();
      callback();
    },
  });
  return Object.assign(sealer, {
    tag: () => {
      if (!tag) throw new Error('the spool is not sealed yet');
      return tag;
    },
  });
}

/** Decrypts a sealed spool; fails at the end, instead of ending, when its MAC is not `tag`. */
export function spoolOpener(key: Buffer, iv: Buffer, tag: Buffer): Transform {
  checkKey(key);
  const decipher = createDecipheriv(SPOOL_CIPHER, key.subarray(0, 32), iv);
  const mac = createHmac('sha256', key.subarray(32));
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      mac.update(chunk);
      callback(null, decipher.update(chunk));
    },
    flush(callback) {
      callback(timingSafeEqual(mac.digest(), tag) ? null : new Error('a spool file was changed on disk while the job ran'));
    },
  });
}

/** Half a key would make the MAC's key empty: no authentication at all. */
function checkKey(key: Buffer) {
  if (key.length !== 64) throw new Error('a spool key is 64 bytes (newSpoolKey)');
}
