import Link from 'next/link';
import type { Permission } from '@/lib/auth/permissions';
import { NavLinks } from './nav-links';
import type { Theme } from './theme';
import { ThemeToggle } from './theme-toggle';

const links: { href: string; label: string; needs: Permission }[] = [
  { href: '/', label: 'Cluster', needs: 'read' },
  { href: '/backups', label: 'Backups', needs: 'read' },
  { href: '/restore', label: 'Restore', needs: 'restore' },
  { href: '/policies', label: 'Policies', needs: 'read' },
  { href: '/users', label: 'Users', needs: 'manage' },
  { href: '/audit', label: 'Audit', needs: 'manage' },
  { href: '/settings', label: 'Settings', needs: 'manage' },
];

type Props = { username: string; role: string; may: Record<Permission, boolean>; logout: () => Promise<void>; theme: Theme };

/** The pages the signed-in user's role opens, who is signed in (with the role), and the theme; on a phone, behind a Menu button. */
export function AppNav({ username, role, may, logout, theme }: Props) {
  const open = links.filter((l) => may[l.needs]);
  const account = (
    <>
      <ThemeToggle initial={theme} />
      <form action={logout} className="flex items-center gap-3">
        <span className="text-slate-600">
          {username} <span className="text-xs">({role})</span>
        </span>
        <button type="submit" className="text-slate-700 hover:text-sky-800">
          Sign out
        </button>
      </form>
    </>
  );
  return (
    <header className="border-b border-slate-200 bg-white">
      <a href="#main" className="sr-only rounded bg-sky-700 px-3 py-2 text-sm font-medium text-white focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-10">
        Skip to content
      </a>
      <nav aria-label="Main" className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-5 gap-y-2 px-4 py-3 text-sm">
        <Link href="/" className="flex items-center gap-2 text-base font-semibold text-sky-800">
          {/* eslint-disable-next-line @next/next/no-img-element -- a tiny static SVG: nothing for next/image to do */}
          <img src="/logo.svg" alt="" width={24} height={24} />
          Lifeboat
        </Link>
        <NavLinks links={open} className="hidden items-center gap-4 sm:flex" />
        <div className="ml-auto hidden items-center gap-4 sm:flex">{account}</div>
        <details className="group ml-auto sm:hidden">
          <summary className="cursor-pointer list-none rounded-md border border-slate-300 px-2 py-1 text-slate-700">Menu</summary>
          <div className="absolute inset-x-0 z-10 mt-3 space-y-3 border-b border-slate-200 bg-white px-4 pb-4">
            <NavLinks links={open} className="space-y-1" />
            <div className="flex flex-wrap items-center gap-3">{account}</div>
          </div>
        </details>
      </nav>
    </header>
  );
}
