'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import type { ActionState } from '@/lib/auth/form-action';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

export function TokenForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="space-y-3" aria-label="Create an API token">
      <div className="flex items-end gap-3">
        <div className="flex-1">
          <Field label="Token name" error={state?.fieldErrors?.name}>
            <Input name="name" required placeholder="nightly-cron" />
          </Field>
        </div>
        <Button type="submit" disabled={pending}>
          {pending ? 'Creating…' : 'Create token'}
        </Button>
      </div>
      <FormMessage state={state} />
      {state?.secret && (
        <code data-testid="new-token" className="block break-all rounded bg-slate-900 px-3 py-2 text-xs text-emerald-300">
          {state.secret}
        </code>
      )}
    </form>
  );
}
