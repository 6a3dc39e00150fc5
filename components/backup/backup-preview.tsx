import { formatBytes, formatDuration } from '@/components/ui/format';
import type { BackupPreview } from '@/lib/backup/backup-preview';
import { plural } from '@/lib/plural';

const guardTone = { holds: 'text-emerald-800', consent: 'text-amber-900', refused: 'text-red-800' } as const;

/** "What will happen": the form's dry check, shown before the operator submits. */
export function BackupPreviewPanel({ preview, pending, problem }: { preview: BackupPreview | null; pending: boolean; problem: string | null }) {
  return (
    <section aria-label="What will happen" aria-busy={pending} className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">
      <h3 className="mb-1 font-medium text-slate-800">What will happen</h3>
      {problem ? (
        <p className="text-red-700">{problem}</p>
      ) : !preview ? (
        <p className="text-slate-500">Working it out…</p>
      ) : (
        <ul className={`list-disc space-y-1 pl-5 ${pending ? 'opacity-60' : ''}`}>
          <li data-preview="stops">
            {preview.stops.length === 0 ? (
              'Nothing stops: no running container mounts these volumes.'
            ) : (
              <>
                Stops {plural(preview.stops.length, 'container')} on {preview.node}
                {preview.outage.ms !== null && <> for about {formatDuration(Math.max(preview.outage.ms, 1000))}</>} and starts them again:{' '}
                <span className="font-mono text-xs">{preview.stops.map((c) => c.name).join(', ')}</span>. <span className="text-slate-600">({preview.outage.basis}.)</span>
              </>
            )}
          </li>
          <li data-preview="volumes">
            Copies {plural(preview.volumes.length, 'volume')} ({formatBytes(preview.bytes)}) into one encrypted archive, stored here and downloaded as it is written.
          </li>
          {preview.guard && (
            <li data-preview="guard" className={guardTone[preview.guard.verdict]}>
              {preview.guard.verdict === 'holds' ? 'Quorum holds: ' : preview.guard.verdict === 'consent' ? 'Needs your consent below: ' : 'Would be refused: '}
              {preview.guard.message}
            </li>
          )}
          {preview.busy && (
            <li data-preview="busy" className="text-amber-900">
              {preview.busy}
            </li>
          )}
          {preview.notes.map((note) => (
            <li key={note} className="text-amber-900">
              {note}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
