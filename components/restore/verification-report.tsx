import { formatBytes, formatTime } from '@/components/ui/format';
import type { VerificationReport } from '@/lib/restore/report';

/** What a verification proved, and what a restore would do on its target. */
export function VerificationReportView({ report }: { report: VerificationReport }) {
  const { source, target } = report;
  return (
    <div data-testid="verification-report" className="space-y-3 text-sm">
      <p className="text-emerald-800">Authentic and complete: the OpenPGP integrity check and the SHA-256 of every file against the manifest passed.</p>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
        <dt className="text-slate-500">From</dt>
        <dd className="font-mono">{source.hostname}</dd>
        <dt className="text-slate-500">Taken</dt>
        <dd>{formatTime(source.createdAt)}</dd>
        <dt className="text-slate-500">UCP version</dt>
        <dd>{source.ucpVersion ?? 'unknown'}</dd>
        <dt className="text-slate-500">Archive SHA-256</dt>
        <dd className="break-all font-mono text-xs">{report.archiveSha256}</dd>
      </dl>
      <table className="w-full text-left text-xs">
        <thead className="text-slate-500">
          <tr>
            <th className="py-1 pr-3">Volume</th>
            <th className="py-1 pr-3 text-right">Files</th>
            <th className="py-1 pr-3 text-right">Size</th>
            {target && <th className="py-1">On {target.hostname}</th>}
          </tr>
        </thead>
        <tbody>
          {report.volumes.map((v) => {
            const action = target?.volumes.find((t) => t.name === v.name)?.action;
            return (
              <tr key={v.name} data-report-volume={v.name} className="border-t border-slate-100">
                <td className="py-1 pr-3 font-mono">{v.name}</td>
                <td className="py-1 pr-3 text-right tabular-nums">{v.files}</td>
                <td className="py-1 pr-3 text-right tabular-nums">{formatBytes(v.bytes)}</td>
                {target && <td className="py-1">{action === 'create' ? 'created' : 'replaced'}</td>}
              </tr>
            );
          })}
        </tbody>
      </table>
      {target && (
        <div className="space-y-1">
          <p>
            On <span className="font-mono">{target.hostname}</span> (UCP {target.ucpVersion ?? 'not found'}), a restore stops{' '}
            {target.stop.length ? <span className="font-mono">{target.stop.join(', ')}</span> : 'nothing'}, makes each volume exactly the backup&apos;s (files not in the backup are
            removed), and starts {target.stop.length ? 'them' : 'nothing'} again.
          </p>
          {target.notes.map((note) => (
            <p key={note} className="text-amber-800">
              {note}
            </p>
          ))}
        </div>
      )}
    </div>
  );
}
