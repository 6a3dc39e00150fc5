import 'server-only';
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { config } from '@/lib/config';

const VERSION = 'v1';
let cachedKey: Buffer | undefined;

/** The key that encrypts secrets at rest: from LIFEBOAT_SECRET, else a 0600 file in the data directory. */
function atRestKey(): Buffer {
  if (cachedKey) return cachedKey;
  if (config.secret) {
    cachedKey = createHash('sha256').update(`lifeboat-at-rest:${config.secret}`).digest();
    return cachedKey;
  }
  fs.mkdirSync(path.dirname(config.secretKeyFile), { recursive: true });
  try {
    // 'wx' fails if another process created the file first; then read theirs.
    fs.writeFileSync(config.secretKeyFile, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  cachedKey = Buffer.from(fs.readFileSync(config.secretKeyFile, 'utf8').trim(), 'hex');
  if (cachedKey.length !== 32) throw new Error(`${config.secretKeyFile} does not hold a 32-byte hex key`);
  return cachedKey;
}

/** AES-256-GCM; the output is `v1:<iv>:<tag>:<ciphertext>` in base64url. */
export function seal(plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', atRestKey(), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join(':');
}

export function unseal(sealed: string): string {
  const [version, iv, tag, body] = sealed.split(':');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', atRestKey(), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('cannot decrypt a stored secret: was LIFEBOAT_SECRET or data/secret.key changed?');
  }
}

/** A key of the server's own for `purpose` (HKDF of the at-rest key): what it must read again after a crash. */
export function serverKey(purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', atRestKey(), Buffer.alloc(0), `lifeboat:${purpose}`, 32));
}
