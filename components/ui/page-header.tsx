import Link from 'next/link';
import type { ReactNode } from 'react';

/** A detail page's top: the way back, the title (a name in monospace), and what sits beside it. */
export function PageHeader({ parent, title, children }: { parent: { href: string; label: string }; title: string; children?: ReactNode }) {
  return (
    <>
      <p className="text-sm">
        <Link href={parent.href} className="text-sky-800 hover:underline">
          {parent.label}
        </Link>{' '}
        / <span className="font-mono">{title}</span>
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="font-mono text-lg font-semibold">{title}</h1>
        {children}
      </div>
    </>
  );
}
