import { z } from 'zod';
import { STATUS_FILTERS } from '@/lib/jobs/job-states';

export const BACKUP_KINDS = ['manual', 'scheduled', 'pre-restore'] as const;
export const HISTORY_SORTS = ['newest', 'oldest', 'largest', 'longest-down'] as const;

const day = z
  .string()
  // A real day of the calendar: 2026-13-01 or 2026-02-31 is refused, not read as another.
  .refine((d) => {
    const at = new Date(`${d}T00:00:00Z`);
    return /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(at.getTime()) && at.toISOString().startsWith(d);
  }, 'is not a date (YYYY-MM-DD)')
  .transform((d) => new Date(`${d}T00:00:00Z`));

/** The history's filters, as the Backups page's form and GET /api/v1/backups take them. Dates are UTC days, both included. */
export const historyQuery = z.object({
  node: z.string().trim().min(1).optional(),
  status: z.enum(STATUS_FILTERS).optional(),
  kind: z.enum(BACKUP_KINDS).optional(),
  from: day.optional(),
  to: day.optional(),
  q: z.string().trim().min(1).max(200).optional(),
  sort: z.enum(HISTORY_SORTS).optional(),
});

/** `restorable`: only backups whose archive is stored and whole (succeeded, or with a warning about their containers). */
export type HistoryFilter = z.infer<typeof historyQuery> & { take?: number; restorable?: boolean };

/** Empty form fields are absent filters. */
export function historyParams(params: Record<string, string | string[] | undefined>) {
  return Object.fromEntries(Object.entries(params).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== ''));
}
