import { z } from 'zod';
import type { UserOpener } from '@/lib/crypto/archive-encryption';

/**
 * What opens an archive, as a form or the API gives it: its passphrase, or the armored private key it
 * was encrypted to (with that key's own passphrase, if it has one). Used for that job only, never stored.
 */
export const openerFields = {
  passphrase: z.string().optional(),
  privateKey: z
    .string()
    .max(64 * 1024, 'the private key is longer than 64 KiB: give one armored key')
    .optional(),
  privateKeyPassphrase: z.string().optional(),
};

type OpenerInput = { passphrase?: string; privateKey?: string; privateKeyPassphrase?: string };

/** The opener in fields that hold one; an issue on `passphrase` when none is given. */
export function openerOf(fields: OpenerInput, ctx: z.RefinementCtx): UserOpener {
  if (fields.privateKey?.trim()) return { privateKey: fields.privateKey.trim(), keyPassphrase: fields.privateKeyPassphrase || undefined };
  if (fields.passphrase) return { passphrase: fields.passphrase };
  ctx.addIssue({ code: 'custom', message: "the archive's passphrase is required (or the private key it was encrypted to)", path: ['passphrase'] });
  return z.NEVER;
}

/** A verification's body (JSON, or the history page's form). */
export const verifyRequestSchema = z.object(openerFields).transform((v, ctx) => openerOf(v, ctx));
