import { z } from 'zod';
import { openerFields, openerOf } from './opener';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** The fields of a restore request (multipart form fields, or the restore page's form). */
export const restoreFieldsSchema = z
  .object({
    node: z.string({ error: 'name the target node: its hostname or swarm node ID' }).trim().min(1, 'name the target node: its hostname or swarm node ID'),
    ...openerFields,
    dryRun: flag.default(false),
    backupId: z.string().trim().min(1).optional(),
    uploadId: z
      .string()
      .regex(/^u[a-z0-9]+$/, 'not an upload id')
      .optional(),
    force: flag.default(false),
    skipSafetyBackup: flag.default(false),
    confirmOutage: flag.default(false),
    confirmLostQuorum: flag.default(false),
  })
  .refine((v) => Number(Boolean(v.backupId)) + Number(Boolean(v.uploadId)) <= 1, { message: 'give one archive: backupId or uploadId, not both', path: ['backupId'] })
  .transform(({ passphrase, privateKey, privateKeyPassphrase, ...rest }, ctx) => ({ ...rest, opener: openerOf({ passphrase, privateKey, privateKeyPassphrase }, ctx) }));
