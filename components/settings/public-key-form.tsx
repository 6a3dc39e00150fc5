'use client';

import { Button } from '@/components/ui/button';
import { Field, TextArea } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { useKeptForm, type FormActionFn } from '@/components/ui/use-kept-form';

/** Imports an armored OpenPGP public key, pasted or from a file. */
export function PublicKeyForm({ action }: { action: FormActionFn }) {
  const { state, pending, form, generation } = useKeptForm(action);
  return (
    <form {...form} className="space-y-3" aria-label="Import a public key">
      {/* The field starts afresh after an import; the status line stays, so it is read out. */}
      <Field
        key={generation}
        label="Public key (armored)"
        hint={
          <>
            Or a file: <input type="file" name="keyFile" aria-label="Public key file" accept=".asc,.key,.pub,text/plain" className="text-xs" />
          </>
        }
      >
        <TextArea name="armored" placeholder="-----BEGIN PGP PUBLIC KEY BLOCK-----   (gpg --armor --export ops@example.org)" />
      </Field>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? 'Importing…' : 'Import key'}
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
