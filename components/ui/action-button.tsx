'use client';

import { useActionState } from 'react';
import type { ActionState } from '@/lib/auth/form-action';
import { Button } from './button';
import { ConfirmButton } from './confirm-button';
import { FormMessage } from './form-message';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

/** A one-button form bound to a server action, with hidden fields and its result shown beside it; with `confirm`, asked in a dialog first. */
export function ActionButton({
  action,
  fields,
  label,
  pendingLabel,
  variant = 'secondary',
  confirm,
}: {
  action: Action;
  fields: Record<string, string>;
  label: string;
  pendingLabel: string;
  variant?: 'primary' | 'secondary' | 'danger';
  confirm?: string;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="flex items-center gap-2">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {confirm ? (
        <ConfirmButton label={label} pendingLabel={pendingLabel} pending={pending} variant={variant} question={confirm} />
      ) : (
        <Button type="submit" variant={variant} disabled={pending}>
          {pending ? pendingLabel : label}
        </Button>
      )}
      <FormMessage state={state} />
      {state?.secret && (
        <code data-testid="new-secret" className="break-all rounded bg-slate-900 px-2 py-1 text-xs text-emerald-300">
          {state.secret}
        </code>
      )}
    </form>
  );
}
