import Link from 'next/link';
import type { Permission } from '@/lib/auth/permissions';

const links: { href: string; label: string; needs: Permission }[] = [
  { href: '/', label: 'Cluster', needs: 'read' },
  { href: '/backups', label: 'Backups', needs: 'read' },
  { href: '/restore', label: 'Restore', needs: 'restore' },
  { href: '/policies', label: 'Policies', needs: 'read' },
  { href: '/users', label: 'Users', needs: 'manage' },
  { href: '/audit', label: 'Audit', needs: 'manage' },
  { href: '/settings', label: 'Settings', needs: 'manage' },
];

/** The pages the signed-in user's role opens, and who is signed in (with the role). */
export function AppNav({ username, role, may, logout }: { username: string; role: string; may: Record<Permission, boolean>; logout: () => Promise<void> }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <nav className="mx-auto flex max-w-6xl items-center gap-6 px-4 py-3 text-sm">
        <Link href="/" className="text-base font-semibold text-sky-800">
          Lifeboat
        </Link>
        {links
          .filter((l) => may[l.needs])
          .map((l) => (
            <Link key={l.href} href={l.href} className="text-slate-700 hover:text-sky-800">
              {l.label}
            </Link>
          ))}
        <form action={logout} className="ml-auto flex items-center gap-3">
          <span className="text-slate-500">
            {username} <span className="text-xs">({role})</span>
          </span>
          <button type="submit" className="text-slate-700 hover:text-sky-800">
            Sign out
          </button>
        </form>
      </nav>
    </header>
  );
}
