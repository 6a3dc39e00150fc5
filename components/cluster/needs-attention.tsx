import Link from 'next/link';

/** A node that a failed restore left with UCP stopped: what happened, and the step that recovers it. */
export function NeedsAttention({ hostname, attention, canRestore, compact = false }: { hostname: string; attention: string; canRestore: boolean; compact?: boolean }) {
  return (
    <div role="alert" data-attention={hostname} className={`rounded border border-red-300 bg-red-50 text-red-900 ${compact ? 'p-2 text-xs' : 'p-3 text-sm'}`}>
      <p className="font-semibold">Needs attention</p>
      <p>{attention}</p>
      {canRestore ? (
        <Link href={`/restore?node=${encodeURIComponent(hostname)}`} className="font-medium text-sky-800 hover:underline">
          Restore onto {hostname}
        </Link>
      ) : (
        <p>An operator or an admin can restore onto it.</p>
      )}
    </div>
  );
}
