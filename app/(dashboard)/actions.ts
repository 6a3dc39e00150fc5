'use server';

import { redirect } from 'next/navigation';
import { recordAudit } from '@/lib/audit/audit-log';
import { clientAddress } from '@/lib/auth/client-address';
import { currentUser, endSession } from '@/lib/auth/session';

export async function logout() {
  const user = await currentUser();
  await endSession();
  if (user) await recordAudit({ actor: `user:${user.username}`, address: await clientAddress(), action: 'logout', result: 'ok' });
  redirect('/login');
}
