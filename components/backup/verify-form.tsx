'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form-message';
import { useKeptForm, type FormActionFn } from '@/components/ui/use-kept-form';
import type { ActionState } from '@/lib/auth/form-action';
import { emptyOpener, OpenerFields } from './opener-fields';

/** "Verify": proof that the backup restores, without restoring it. An archive with no passphrase opens with a private key. */
export function VerifyForm({ backupId, action, keyOnly }: { backupId: string; action: FormActionFn; keyOnly: boolean }) {
  const [opener, setOpener] = useState(() => emptyOpener(keyOnly ? 'key' : 'passphrase'));
  const { state, pending, form } = useKeptForm(async (previous: ActionState, form: FormData) => {
    const result = await action(previous, form);
    // Once verified, the secrets leave the page.
    if (result?.ok) setOpener((current) => emptyOpener(current.mode));
    return result;
  });
  return (
    <form {...form} aria-label="Verify this backup" className="max-w-xl space-y-3">
      <input type="hidden" name="id" value={backupId} />
      <OpenerFields value={opener} onChange={setOpener} />
      <div className="flex items-center gap-3">
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? 'Verifying…' : 'Verify'}
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
