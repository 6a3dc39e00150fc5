import Link from 'next/link';
import { formatTime } from '@/components/ui/format';

export type JobWarning = { href: string; what: string; node: string; at: Date; warning: string };

/** Jobs that ended in `warning`, newest first: what each left to do, in its own words, and where to see it. */
export function JobsNeedingAHand({ jobs }: { jobs: JobWarning[] }) {
  if (jobs.length === 0) return null;
  return (
    <section aria-label="Jobs that need a hand" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
      <h2 className="mb-1 font-semibold">Needs a hand</h2>
      <ul className="space-y-1">
        {jobs.map((job) => (
          <li key={job.href} data-warning-job={job.href}>
            <Link href={job.href} className="font-medium underline underline-offset-2">
              {job.what} of {job.node}, {formatTime(job.at)}
            </Link>
            : {job.warning}
          </li>
        ))}
      </ul>
    </section>
  );
}
