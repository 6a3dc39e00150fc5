import { z } from 'zod';

function asUrl(text: string) {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** A webhook's URL: http or https, nothing else, and no credentials (the signature authenticates Lifeboat). */
export const webhookInputSchema = z.object({
  url: z
    .string({ error: 'give the URL to POST events to' })
    .trim()
    .refine((u) => asUrl(u) !== null, { message: 'is not a URL', abort: true })
    .refine((u) => /^https?:$/.test(asUrl(u)!.protocol), { message: 'must be an http:// or https:// URL', abort: true })
    .refine((u) => asUrl(u)!.username === '' && asUrl(u)!.password === '', 'must not carry a user or password: the signature authenticates Lifeboat'),
});

const hours = z.coerce
  .number({ error: 'give a number of hours' })
  .int('give whole hours')
  .min(1, 'at least 1 hour')
  .max(24 * 90, 'at most 90 days');

/** Amber after `warnAfterHours` without a good backup, red (and reported) after `noGoodBackupHours`. */
export const alertSettingsSchema = z
  .object({ warnAfterHours: hours, noGoodBackupHours: hours })
  .refine((v) => v.warnAfterHours <= v.noGoodBackupHours, { message: 'must not be more than the red threshold', path: ['warnAfterHours'] });
