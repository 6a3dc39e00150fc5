import type { Metadata } from 'next';
import Link from 'next/link';
import { BackupTable } from '@/components/backup/backup-table';
import { OutcomeTimeline } from '@/components/charts/outcome-timeline';
import { Card } from '@/components/ui/card';
import { RefreshWhileRunning } from '@/components/ui/refresh-while-running';
import { requireUser } from '@/lib/auth/session';
import { backedUpNodes, listBackups, outcomesByDay } from '@/lib/history/backup-history';
import { isRunning, STATUS_FILTERS } from '@/lib/jobs/job-states';
import { BACKUP_KINDS, HISTORY_SORTS, historyParams, historyQuery } from '@/lib/validations/history';

export const metadata: Metadata = { title: 'Backups' };

const selectClass = 'rounded-md border border-slate-300 bg-white px-2 py-1';
const KIND_LABELS: Record<string, string> = { manual: 'manual', scheduled: 'by a policy', 'pre-restore': 'safety copy before a restore' };

export default async function BackupsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const params = historyParams(await searchParams);
  const parsed = historyQuery.safeParse(params);
  const filter = parsed.success ? parsed.data : {};
  const [backups, nodes, days] = await Promise.all([listBackups(filter), backedUpNodes(), outcomesByDay()]);
  const filtered = Object.keys(params).length > 0;
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Backups</h1>
      <Card>
        <OutcomeTimeline days={days} />
      </Card>
      <form className="flex flex-wrap items-end gap-3 text-sm" aria-label="Filter backups">
        <label className="flex flex-col">
          Search
          <input type="search" name="q" defaultValue={params.q ?? ''} placeholder="file, note, node, policy, volume" className={selectClass} />
        </label>
        <label className="flex flex-col">
          Node
          <select name="node" defaultValue={params.node ?? ''} className={selectClass}>
            <option value="">all</option>
            {nodes.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          Status
          <select name="status" defaultValue={params.status ?? ''} className={selectClass}>
            <option value="">all</option>
            {STATUS_FILTERS.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          Kind
          <select name="kind" defaultValue={params.kind ?? ''} className={selectClass}>
            <option value="">all</option>
            {BACKUP_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          From
          <input type="date" name="from" defaultValue={params.from ?? ''} className={selectClass} />
        </label>
        <label className="flex flex-col">
          To
          <input type="date" name="to" defaultValue={params.to ?? ''} className={selectClass} />
        </label>
        <label className="flex flex-col">
          Sort
          <select name="sort" defaultValue={params.sort ?? 'newest'} className={selectClass}>
            {HISTORY_SORTS.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <button className="rounded-md border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50">Filter</button>
        {filtered && (
          <Link href="/backups" className="py-1 text-sky-800 hover:underline">
            Clear
          </Link>
        )}
      </form>
      {!parsed.success && (
        <p role="alert" className="text-sm text-red-700">
          Filters ignored: {parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}
        </p>
      )}
      <Card>
        <BackupTable backups={backups} empty={filtered ? 'No backup matches these filters.' : undefined} />
      </Card>
      <RefreshWhileRunning running={backups.some((b) => isRunning(b.status))} />
    </div>
  );
}
