'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import type { ActionState } from '@/lib/auth/form-action';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

/** "Verify": proof that the backup restores, without restoring it. */
export function VerifyForm({ backupId, action }: { backupId: string; action: Action }) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} aria-label="Verify this backup" className="flex flex-wrap items-end gap-3">
      <input type="hidden" name="id" value={backupId} />
      <div className="w-72">
        <Field label="Passphrase">
          <Input name="passphrase" type="password" required autoComplete="off" />
        </Field>
      </div>
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? 'Verifying…' : 'Verify'}
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
