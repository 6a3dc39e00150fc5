'use client';

import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form-message';
import { useKeptForm, type FormActionFn } from '@/components/ui/use-kept-form';
import { ROLES, type Role } from '@/lib/auth/permissions';

/** A user's role, changed in place. */
export function RoleForm({ id, username, role, action }: { id: string; username: string; role: Role; action: FormActionFn }) {
  const { state, pending, form } = useKeptForm(action);
  return (
    <form {...form} className="flex items-center gap-2">
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
