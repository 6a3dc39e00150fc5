import type { Metadata } from 'next';
import { z } from 'zod';
import { BackupTable } from '@/components/backup/backup-table';
import { Card } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/session';
import { listBackups } from '@/lib/history/backup-history';
import { STATUS_FILTERS } from '@/lib/jobs/job-states';

export const metadata: Metadata = { title: 'Backups' };

const filterSchema = z.object({
  node: z.string().trim().optional().catch(undefined),
  status: z.enum(STATUS_FILTERS).optional().catch(undefined),
});

export default async function BackupsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await requireUser();
  const filter = filterSchema.parse(await searchParams);
  const [backups, all] = await Promise.all([listBackups({ node: filter.node || undefined, status: filter.status }), listBackups({ take: 500 })]);
  const nodes = [...new Set(all.map((b) => b.nodeHostname))].sort();
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Backups</h1>
      <form className="flex flex-wrap items-end gap-3 text-sm" aria-label="Filter backups">
        <label className="flex flex-col">
          Node
          <select name="node" defaultValue={filter.node ?? ''} className="rounded-md border border-slate-300 px-2 py-1">
            <option value="">all</option>
            {nodes.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          Status
          <select name="status" defaultValue={filter.status ?? ''} className="rounded-md border border-slate-300 px-2 py-1">
            <option value="">all</option>
            {STATUS_FILTERS.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <button className="rounded-md border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50">Filter</button>
      </form>
      <Card>
        <BackupTable backups={backups} />
      </Card>
    </div>
  );
}
