import { z } from 'zod';

const optionalText = z.preprocess((v) => (typeof v === 'string' && v.trim() ? v.trim() : undefined), z.string().max(200).optional());
const optionalDay = z.preprocess(
  (v) => (typeof v === 'string' && v ? v : undefined),
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD')
    .transform((day) => new Date(`${day}T00:00:00Z`))
    .optional(),
);

/** The audit log's filters, from the page's query or the API's: who, what, how it ended, and which UTC days. */
export const auditFilterSchema = z
  .object({
    actor: optionalText,
    action: optionalText,
    result: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['ok', 'refused', 'failed'], 'the result is ok, refused or failed').optional()),
    from: optionalDay,
    to: optionalDay,
  })
  // `to` is a whole day: events up to its end.
  .transform(({ to, ...rest }) => ({ ...rest, to: to ? new Date(to.getTime() + 86_400_000) : undefined }));

export type AuditFilter = z.output<typeof auditFilterSchema>;
