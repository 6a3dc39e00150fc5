import { z } from 'zod';

/** Docker's own rule for volume names. */
export const volumeName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]+$/, 'is not a volume name Docker would accept');

export const passphrase = z.string({ error: 'a passphrase is required' }).min(12, 'the passphrase must have at least 12 characters');

/** A backup request, as the API takes it and the form produces it. */
export const backupRequestSchema = z.object({
  node: z.string().trim().min(1, 'name the node: its hostname or swarm node ID'),
  passphrase,
  volumes: z.array(volumeName).max(200).optional(),
  rootCaOnly: z.boolean().optional(),
  note: z.string().trim().max(500, 'the note is longer than 500 characters').optional(),
  stopUserContainers: z.boolean().optional(),
  confirmOutage: z.boolean().optional(),
  confirmLostQuorum: z.boolean().optional(),
});

export type BackupRequestInput = z.infer<typeof backupRequestSchema>;

/** The "Back up now" form: the passphrase typed twice, volumes as a scope or a selection. */
export const backupFormSchema = z
  .object({
    node: z.string().min(1),
    scope: z.enum(['ucp', 'root-ca', 'custom']),
    volumes: z.array(volumeName).default([]),
    passphrase,
    passphraseAgain: z.string(),
    note: z.string().trim().max(500, 'the note is longer than 500 characters').optional(),
    stopUserContainers: z.literal('on').optional(),
    confirmOutage: z.literal('on').optional(),
    confirmLostQuorum: z.literal('on').optional(),
  })
  .refine((v) => v.passphrase === v.passphraseAgain, { message: 'the two passphrases differ', path: ['passphraseAgain'] })
  .refine((v) => v.scope !== 'custom' || v.volumes.length > 0, { message: 'choose at least one volume', path: ['volumes'] })
  .transform((v): BackupRequestInput => ({
    node: v.node,
    passphrase: v.passphrase,
    volumes: v.scope === 'custom' ? v.volumes : undefined,
    rootCaOnly: v.scope === 'root-ca',
    note: v.note || undefined,
    stopUserContainers: v.stopUserContainers === 'on',
    confirmOutage: v.confirmOutage === 'on',
    confirmLostQuorum: v.confirmLostQuorum === 'on',
  }));
