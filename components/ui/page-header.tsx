import Link from 'next/link';
import type { ReactNode } from 'react';

/** A detail page's top: the way back (a breadcrumb), the title, and what sits beside it. */
export function PageHeader({ parent, title, children }: { parent: { href: string; label: string }; title: string; children?: ReactNode }) {
  return (
    <>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href={parent.href} className="text-sky-800 underline underline-offset-2">
          {parent.label}
        </Link>{' '}
        / <span aria-current="page">{title}</span>
      </nav>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="break-all text-lg font-semibold">{title}</h1>
        {children}
      </div>
    </>
  );
}
