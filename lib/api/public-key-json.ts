import 'server-only';
import type { PublicKeyView } from '@/lib/keys/public-keys';

/** A public key as the API shows it. */
export function toPublicKeyJson(key: PublicKeyView) {
  return {
    id: key.id,
    fingerprint: key.fingerprint,
    userIds: key.userIds,
    algorithm: key.algorithm,
    createdAt: key.createdAt.toISOString(),
    expiresAt: key.expiresAt?.toISOString() ?? null,
    addedBy: key.addedBy,
    addedAt: key.addedAt.toISOString(),
  };
}
