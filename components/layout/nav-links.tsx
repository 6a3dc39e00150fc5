'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

/** The nav's links, the current page's marked (aria-current) as well as shown; following one closes the phone Menu. */
export function NavLinks({ links, className }: { links: { href: string; label: string }[]; className: string }) {
  const path = usePathname();
  const current = (href: string) =>
    href === '/' ? path === '/' || path.startsWith('/nodes/') : path === href || path.startsWith(`${href}/`) || (href === '/restore' && path.startsWith('/restores/'));
  return (
    <ul className={className}>
      {links.map((l) => (
        <li key={l.href}>
          <Link
            href={l.href}
            aria-current={current(l.href) ? 'page' : undefined}
            // On a phone the links sit in the Menu (a <details>): it closes once one is followed.
            onClick={(event) => event.currentTarget.closest('details')?.removeAttribute('open')}
            className="block rounded px-1 py-1 text-slate-700 hover:text-sky-800 aria-[current=page]:font-semibold aria-[current=page]:text-sky-800 aria-[current=page]:underline aria-[current=page]:underline-offset-4"
          >
            {l.label}
          </Link>
        </li>
      ))}
    </ul>
  );
}
