import type { Metadata } from 'next';
import { NotAllowed } from '@/components/auth/not-allowed';
import { AuditFilters } from '@/components/audit/audit-filters';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { formatTime } from '@/components/ui/format';
import { Table } from '@/components/ui/table';
import { listAudit } from '@/lib/audit/audit-log';
import { can } from '@/lib/auth/permissions';
import { requireUser } from '@/lib/auth/session';
import { auditFilterSchema } from '@/lib/validations/audit';

export const metadata: Metadata = { title: 'Audit log' };

const columns = [{ label: 'When' }, { label: 'Who' }, { label: 'From' }, { label: 'What' }, { label: 'Result' }, { label: 'Detail' }];
const tone = { ok: 'good', refused: 'warn', failed: 'bad' } as const;
const SHOWN = 200;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser();
  if (!can(user, 'manage')) return <NotAllowed user={user} permission="manage" />;
  const query = await searchParams;
  const parsed = auditFilterSchema.safeParse(query);
  const events = parsed.success ? await listAudit(parsed.data, SHOWN) : [];
  const csv = `/api/v1/audit?${new URLSearchParams({ ...query, format: 'csv' })}`;
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Audit log</h1>
        <p className="mt-1 text-sm text-slate-600">
          Sign-ins, backups, restores, verifications, downloads and every change, with who, when, from where and how it ended. Rows are only ever added.
        </p>
      </div>
      <Card>
        <AuditFilters values={query} csvHref={csv} />
        {!parsed.success && (
          <p role="alert" className="mt-3 text-sm text-red-700">
            {parsed.error.issues[0].message}
          </p>
        )}
      </Card>
      <Card>
        {events.length === 0 ? (
          <p className="text-sm text-slate-600">No events match.</p>
        ) : (
          <Table columns={columns}>
            {events.map((e) => (
              <tr key={e.id} data-audit-action={e.action} className="border-t border-slate-100 align-top">
                <td className="py-1.5 pr-3 text-xs whitespace-nowrap">{formatTime(e.at)}</td>
                <td className="py-1.5 pr-3 font-mono text-xs">{e.actor}</td>
                <td className="py-1.5 pr-3 font-mono text-xs">{e.address || 'server'}</td>
                <td className="py-1.5 pr-3 text-xs">
                  {e.action}
                  {e.target && <span className="block font-mono text-slate-500">{e.target}</span>}
                </td>
                <td className="py-1.5 pr-3">
                  <Badge tone={tone[e.result]}>{e.result}</Badge>
                </td>
                <td className="py-1.5 text-xs text-slate-600">{e.detail}</td>
              </tr>
            ))}
          </Table>
        )}
        {events.length === SHOWN && <p className="mt-2 text-xs text-slate-500">The newest {SHOWN}; narrow the filters, or download the CSV for all.</p>}
      </Card>
    </div>
  );
}
