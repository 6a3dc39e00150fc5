'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';

type LoginState = { ok: boolean; message: string } | null;

export function LoginForm({ login, next }: { login: (state: LoginState, form: FormData) => Promise<LoginState>; next?: string }) {
  const [state, action, pending] = useActionState(login, null);
  return (
    <form action={action} className="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <input type="hidden" name="next" value={next ?? ''} />
      <Field label="User name">
        <Input name="username" autoComplete="username" defaultValue="admin" required />
      </Field>
      <Field label="Password">
        <Input name="password" type="password" autoComplete="current-password" required autoFocus />
      </Field>
      <FormMessage state={state} />
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
