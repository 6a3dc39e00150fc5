import 'server-only';
import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Lifeboat-Signature';

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: a receiver recomputes it with the webhook's
 * secret, compares in constant time, and refuses an old `t` (a replay).
 */
export function signature(secret: string, body: string, at = new Date()): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}
