'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form-message';
import type { ActionState } from '@/lib/auth/form-action';
import { ROLES, type Role } from '@/lib/auth/permissions';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

/** A user's role, changed in place. */
export function RoleForm({ id, username, role, action }: { id: string; username: string; role: Role; action: Action }) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="flex items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <select name="role" defaultValue={role} aria-label={`Role of ${username}`} className="rounded-md border border-slate-300 px-2 py-1 text-sm">
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? 'Saving…' : 'Change role'}
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
