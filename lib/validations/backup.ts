import { z } from 'zod';

/** Docker's own rule for volume names. */
export const volumeName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]+$/, 'is not a volume name Docker would accept');

export const passphrase = z.string({ error: 'a passphrase is required' }).min(12, 'the passphrase must have at least 12 characters');

/** An OpenPGP v4 (40 hex digits) or v6 (64) fingerprint. */
export const fingerprint = z
  .string()
  .trim()
  .regex(/^(?:[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64})$/, 'is not an OpenPGP fingerprint (40 or 64 hex digits)')
  .transform((f) => f.toUpperCase());

const NO_RECIPIENT = 'give a passphrase, or choose a public key to encrypt to (or both)';

/** A backup request, as the API takes it and the form produces it. */
export const backupRequestSchema = z
  .object({
    node: z.string().trim().min(1, 'name the node: its hostname or swarm node ID'),
    passphrase: passphrase.optional(),
    /** Fingerprints of imported public keys the archive is encrypted to, beside the passphrase. */
    keys: z.array(fingerprint).max(20).optional(),
    volumes: z.array(volumeName).max(200).optional(),
    rootCaOnly: z.boolean().optional(),
    note: z.string().trim().max(500, 'the note is longer than 500 characters').optional(),
    stopUserContainers: z.boolean().optional(),
    confirmOutage: z.boolean().optional(),
    confirmLostQuorum: z.boolean().optional(),
  })
  .refine((v) => v.passphrase !== undefined || (v.keys?.length ?? 0) > 0, { message: NO_RECIPIENT, path: ['passphrase'] });

export type BackupRequestInput = z.infer<typeof backupRequestSchema>;

/** The "Back up now" form: the passphrase typed twice (or none, for keys alone), volumes as a scope or a selection. */
export const backupFormSchema = z
  .object({
    node: z.string().min(1),
    scope: z.enum(['ucp', 'root-ca', 'custom']),
    volumes: z.array(volumeName).default([]),
    keys: z.array(fingerprint).default([]),
    // Empty when the archive goes to public keys alone.
    passphrase: z.union([z.literal(''), passphrase]).default(''),
    passphraseAgain: z.string().default(''),
    note: z.string().trim().max(500, 'the note is longer than 500 characters').optional(),
    stopUserContainers: z.literal('on').optional(),
    confirmOutage: z.literal('on').optional(),
    confirmLostQuorum: z.literal('on').optional(),
  })
  .refine((v) => v.passphrase !== '' || v.keys.length > 0, { message: NO_RECIPIENT, path: ['passphrase'] })
  .refine((v) => v.passphrase === v.passphraseAgain, { message: 'the two passphrases differ', path: ['passphraseAgain'] })
  .refine((v) => v.scope !== 'custom' || v.volumes.length > 0, { message: 'choose at least one volume', path: ['volumes'] })
  .transform((v): BackupRequestInput => ({
    node: v.node,
    passphrase: v.passphrase || undefined,
    keys: v.keys.length > 0 ? v.keys : undefined,
    volumes: v.scope === 'custom' ? v.volumes : undefined,
    rootCaOnly: v.scope === 'root-ca',
    note: v.note || undefined,
    stopUserContainers: v.stopUserContainers === 'on',
    confirmOutage: v.confirmOutage === 'on',
    confirmLostQuorum: v.confirmLostQuorum === 'on',
  }));

/** The fields of the "Back up now" form that decide what a backup would stop: for its preview, before it is submitted. */
export const backupPreviewSchema = z
  .object({
    node: z.string().min(1),
    scope: z.enum(['ucp', 'root-ca', 'custom']),
    volumes: z.array(volumeName).default([]),
    stopUserContainers: z.literal('on').optional(),
  })
  .transform((v) => ({
    node: v.node,
    volumes: v.scope === 'custom' ? v.volumes : undefined,
    rootCaOnly: v.scope === 'root-ca',
    stopUserContainers: v.stopUserContainers === 'on',
  }));
