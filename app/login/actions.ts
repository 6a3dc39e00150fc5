'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { clientAddress } from '@/lib/auth/client-address';
import { startSession } from '@/lib/auth/session';
import { safeNext } from '@/lib/auth/safe-next';
import { signIn } from '@/lib/auth/sign-in';

const loginSchema = z.object({
  username: z.string().trim().min(1, 'enter your user name').max(128, 'the user name is longer than 128 characters'),
  password: z.string().min(1, 'enter your password').max(1024, 'the password is longer than 1024 characters'),
  next: z.string().optional(),
});

export type LoginState = { ok: boolean; message: string } | null;

export async function login(_previous: LoginState, form: FormData): Promise<LoginState> {
  const parsed = loginSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0].message };
  const result = await signIn(await clientAddress(), parsed.data.username, parsed.data.password);
  if (!result.ok) return result;
  await startSession(result.user.id);
  redirect(safeNext(parsed.data.next));
}
