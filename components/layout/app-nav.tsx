import Link from 'next/link';

const links = [
  { href: '/', label: 'Cluster' },
  { href: '/backups', label: 'Backups' },
  { href: '/restore', label: 'Restore' },
  { href: '/policies', label: 'Policies' },
  { href: '/settings', label: 'Settings' },
];

export function AppNav({ username, logout }: { username: string; logout: () => Promise<void> }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <nav className="mx-auto flex max-w-6xl items-center gap-6 px-4 py-3 text-sm">
        <Link href="/" className="text-base font-semibold text-sky-800">
          Lifeboat
        </Link>
        {links.map((l) => (
          <Link key={l.href} href={l.href} className="text-slate-700 hover:text-sky-800">
            {l.label}
          </Link>
        ))}
        <form action={logout} className="ml-auto flex items-center gap-3">
          <span className="text-slate-500">{username}</span>
          <button type="submit" className="text-slate-700 hover:text-sky-800">
            Sign out
          </button>
        </form>
      </nav>
    </header>
  );
}
