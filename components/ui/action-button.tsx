'use client';

import { useActionState } from 'react';
import type { ActionState } from '@/lib/auth/form-action';
import { Button } from './button';
import { ConfirmButton } from './confirm-button';
import { FormMessage } from './form-message';
import { useToast } from './toast';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

/**
 * A one-button form bound to a server action, with hidden fields and its result shown beside it; with
 * `confirm`, asked in a dialog first. With `toastOnSuccess`, a success is a toast instead: for a button
 * that goes with what it acted on (a removed row, a cancelled job's card).
 */
export function ActionButton({
  action,
  fields,
  label,
  pendingLabel,
  variant = 'secondary',
  confirm,
  toastOnSuccess = false,
}: {
  action: Action;
  fields: Record<string, string>;
  label: string;
  pendingLabel: string;
  variant?: 'primary' | 'secondary' | 'danger';
  confirm?: string;
  toastOnSuccess?: boolean;
}) {
  const toast = useToast();
  // Said from the action itself: the refreshed page may remove this button in the same render as the result.
  // Only then wrapped: the server action itself still posts the form before the page's script has loaded.
  const toasting = async (previous: ActionState, form: FormData) => {
    const next = await action(previous, form);
    if (next?.ok && next.message) toast(next.message);
    return next;
  };
  const [state, formAction, pending] = useActionState(toastOnSuccess ? toasting : action, null);
  const toasted = toastOnSuccess && state?.ok;
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
      <FormMessage state={toasted ? null : state} />
      {state?.secret && (
        <code data-testid="new-secret" className="break-all rounded bg-slate-900 px-2 py-1 text-xs text-emerald-300">
          {state.secret}
        </code>
      )}
    </form>
  );
}
