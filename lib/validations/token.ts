import { z } from 'zod';
import { SCOPES } from '@/lib/auth/permissions';

export const TOKEN_EXPIRY_DAYS = [0, 7, 30, 90, 365] as const;

/** A new API token, from the Settings form or the CLI. `expiresInDays` 0: never. */
export const tokenInputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'give the token a name')
    .max(64, 'the name is longer than 64 characters')
    .regex(/^[\w.-]+$/, 'use letters, digits, dots, dashes and underscores'),
  scopes: z.array(z.enum(SCOPES, 'a scope is read, backup, restore or admin')).min(1, 'give the token at least one scope'),
  expiresInDays: z.coerce.number().min(0, 'the expiry is a number of days').max(3650, 'a token expires within 10 years'),
});

export function tokenExpiry(expiresInDays: number, now = Date.now()): Date | null {
  return expiresInDays > 0 ? new Date(now + expiresInDays * 86_400_000) : null;
}
