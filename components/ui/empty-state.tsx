import type { ReactNode } from 'react';

/** What an empty list says: that it is empty, and what would fill it. */
export function EmptyState({ children, next }: { children: ReactNode; next?: ReactNode }) {
  return (
    <div data-empty className="rounded-md border border-dashed border-slate-300 px-3 py-4 text-center text-sm text-slate-600">
      <p>{children}</p>
      {next && <p className="mt-1">{next}</p>}
    </div>
  );
}
