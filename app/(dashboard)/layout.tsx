import type { ReactNode } from 'react';
import { AppNav } from '@/components/layout/app-nav';
import { grantsOf } from '@/lib/auth/permissions';
import { requireUser } from '@/lib/auth/session';
import { logout } from './actions';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <>
      <AppNav username={user.username} role={user.role} may={grantsOf(user)} logout={logout} />
      <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </>
  );
}
