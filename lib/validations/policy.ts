import { z } from 'zod';
import { DEFAULT_BUSINESS_HOURS, minutesOf, scheduleProblem } from '@/lib/policies/schedule';
import { fingerprint } from './backup';

export const POLICY_TARGETS = ['node', 'all-controllers', 'rotation'] as const;
export type PolicyTarget = (typeof POLICY_TARGETS)[number];

const clock = (what: string) =>
  z
    .string()
    .trim()
    .transform((text, ctx) => {
      const minutes = minutesOf(text);
      if (minutes === null) ctx.addIssue({ code: 'custom', message: `give the ${what} as HH:MM (00:00–24:00)` });
      return minutes ?? 0;
    });

/** A retention rule: how many to keep (absent or null: the rule is not used). */
const keep = (what: string) =>
  z
    .number({ error: `give the number of ${what} to keep` })
    .int(`give a whole number of ${what}`)
    .min(1, `keep at least 1 of the ${what}, or leave the rule out`)
    .max(1000, `keep at most 1000 ${what}`)
    .nullable()
    .default(null);

const retentionFields = {
  keepLast: keep('last backups'),
  keepDaily: keep('daily backups'),
  keepWeekly: keep('weekly backups'),
  keepMonthly: keep('monthly backups'),
};

/** A policy as the API takes it: business hours as "HH:MM", keys as fingerprints; never a passphrase. */
export const policyInputSchema = z
  .object({
    name: z.string({ error: 'give the policy a name' }).trim().min(1, 'give the policy a name').max(80, 'the name is longer than 80 characters'),
    cron: z.string({ error: 'give a cron expression' }).trim().min(1, 'give a cron expression'),
    timeZone: z.string().trim().default('UTC'),
    target: z.enum(POLICY_TARGETS, { error: 'choose a target: node, all-controllers or rotation' }),
    node: z.string().trim().optional(),
    scope: z.enum(['ucp', 'root-ca']).default('ucp'),
    keys: z
      .array(fingerprint, { error: 'choose the public keys to encrypt to' })
      .min(1, 'choose at least one public key: a policy runs unattended and never holds a passphrase')
      .max(20),
    missedRuns: z.enum(['run-once', 'skip']).default('run-once'),
    /** Verify each archive once stored, with the session key its backup held. */
    verify: z.boolean().default(true),
    ...retentionFields,
    outageConsent: z.boolean().default(false),
    businessDays: z.array(z.number().int().min(1).max(7)).max(7).default(DEFAULT_BUSINESS_HOURS.days),
    businessStart: clock('start of business hours').default(DEFAULT_BUSINESS_HOURS.start),
    businessEnd: clock('end of business hours').default(DEFAULT_BUSINESS_HOURS.end),
    enabled: z.boolean().default(true),
  })
  .superRefine((v, ctx) => {
    const problem = scheduleProblem({ cron: v.cron, timeZone: v.timeZone });
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message, path: [problem.field] });
    if (v.target === 'node' && !v.node) ctx.addIssue({ code: 'custom', message: 'choose the node this policy backs up', path: ['node'] });
    if (v.businessStart >= v.businessEnd) ctx.addIssue({ code: 'custom', message: 'business hours must end after they start', path: ['businessEnd'] });
    const retains = [v.keepLast, v.keepDaily, v.keepWeekly, v.keepMonthly].some((n) => n !== null);
    if (retains && !v.verify) ctx.addIssue({ code: 'custom', message: 'retention keeps verified backups only: verify each archive too', path: ['verify'] });
  })
  .transform(({ keepLast, keepDaily, keepWeekly, keepMonthly, ...v }) => ({
    ...v,
    node: v.target === 'node' ? v.node! : null,
    businessDays: [...new Set(v.businessDays)].sort(),
    retention: { keepLast, keepDaily, keepWeekly, keepMonthly },
  }));

export type PolicyInput = z.infer<typeof policyInputSchema>;

/** The policy form's fields, as a browser posts them. */
export function policyFromForm(form: FormData) {
  return policyInputSchema.parse({
    name: form.get('name'),
    cron: form.get('cron'),
    timeZone: form.get('timeZone') || 'UTC',
    target: form.get('target'),
    node: form.get('node') || undefined,
    scope: form.get('scope') || 'ucp',
    keys: form.getAll('keys'),
    missedRuns: form.get('missedRuns') || 'run-once',
    verify: form.get('verify') === 'on',
    keepLast: count(form.get('keepLast')),
    keepDaily: count(form.get('keepDaily')),
    keepWeekly: count(form.get('keepWeekly')),
    keepMonthly: count(form.get('keepMonthly')),
    outageConsent: form.get('outageConsent') === 'on',
    businessDays: form.getAll('businessDays').map(Number),
    businessStart: form.get('businessStart') || undefined,
    businessEnd: form.get('businessEnd') || undefined,
    enabled: form.get('enabled') === 'on',
  });
}

/** A number field as the form posts it: empty is "not used". */
function count(value: FormDataEntryValue | null) {
  return typeof value === 'string' && value.trim() !== '' ? Number(value) : null;
}
