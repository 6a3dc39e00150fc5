import type { ReactNode } from 'react';

export type Column = { label: string; align?: 'right' };

/** A plain data table: small uppercase headings, hairline rows. Rows come as children. On a narrow screen it scrolls within its card. */
export function Table({ columns, children }: { columns: Column[]; children: ReactNode }) {
  return (
    // Focusable, so that a keyboard can scroll it sideways on a narrow screen.
    <div tabIndex={0} className="-mx-4 overflow-x-auto px-4 focus-visible:outline-2 focus-visible:outline-sky-600">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
          <tr>
            {columns.map((c) => (
              <th key={c.label} className={`py-2 pr-3 last:pr-0 ${c.align === 'right' ? 'text-right' : ''}`}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
