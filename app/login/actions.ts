'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { startSession } from '@/lib/auth/session';
import { safeNext } from '@/lib/auth/safe-next';
import { checkCredentials } from '@/lib/auth/users';

const loginSchema = z.object({
  username: z.string().trim().min(1, 'enter your user name'),
  password: z.string().min(1, 'enter your password'),
  next: z.string().optional(),
});

export type LoginState = { ok: boolean; message: string } | null;

export async function login(_previous: LoginState, form: FormData): Promise<LoginState> {
  const parsed = loginSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0].message };
  const user = await checkCredentials(parsed.data.username, parsed.data.password);
  if (!user) return { ok: false, message: 'wrong user name or password' };
  await startSession(user.id);
  redirect(safeNext(parsed.data.next));
}
