import type { ReactNode } from 'react';
import { cookies } from 'next/headers';
import { AppNav } from '@/components/layout/app-nav';
import { THEME_COOKIE, themeOf } from '@/components/layout/theme';
import { ToastProvider } from '@/components/ui/toast';
import { grantsOf } from '@/lib/auth/permissions';
import { requireUser } from '@/lib/auth/session';
import { logout } from './actions';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <ToastProvider>
      <AppNav username={user.username} role={user.role} may={grantsOf(user)} logout={logout} theme={themeOf((await cookies()).get(THEME_COOKIE)?.value)} />
      <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-6 outline-none">
        {children}
      </main>
    </ToastProvider>
  );
}
