import { z } from 'zod';

/** An armored public key to import (the API's JSON, or the settings form's text or file). */
export const publicKeyImportSchema = z.object({
  armored: z
    .string({ error: 'paste an armored OpenPGP public key (gpg --armor --export <key>)' })
    .trim()
    .min(1, 'paste an armored OpenPGP public key (gpg --armor --export <key>)')
    .max(256 * 1024, 'the key is longer than 256 KiB'),
});
