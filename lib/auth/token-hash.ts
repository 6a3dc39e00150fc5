import 'server-only';
import { createHash, randomBytes } from 'node:crypto';

/** A random secret for cookies and bearer tokens, and the hash we store in its place. */
export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
