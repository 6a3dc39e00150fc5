'use client';

import type { ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { useKeptForm, type FormActionFn } from '@/components/ui/use-kept-form';

/** One field that creates something with a secret (an API token, a webhook): the secret is shown once, here. */
export function SecretOnceForm({
  action,
  formLabel,
  field,
  submit,
  children,
}: {
  action: FormActionFn;
  formLabel: string;
  field: { name: string; label: string; placeholder: string; type?: string };
  submit: { label: string; pending: string };
  /** More fields, under the first. */
  children?: ReactNode;
}) {
  const { state, pending, form, generation } = useKeptForm(action);
  return (
    <form {...form} className="space-y-3" aria-label={formLabel}>
      {/* The fields start afresh after a success; the button, the status line and the secret stay, so focus stays and the result is read out. */}
      <div className="flex items-end gap-3">
        <div key={generation} className="flex-1">
          <Field label={field.label} error={state?.fieldErrors?.[field.name]}>
            <Input name={field.name} type={field.type ?? 'text'} required placeholder={field.placeholder} />
          </Field>
        </div>
        <Button type="submit" disabled={pending}>
          {pending ? submit.pending : submit.label}
        </Button>
      </div>
      {children && <div key={generation}>{children}</div>}
      <FormMessage state={state} fields={[field.name]} />
      {state?.secret && (
        <code data-testid="new-secret" className="block break-all rounded bg-slate-900 px-3 py-2 text-xs text-emerald-300">
          {state.secret}
        </code>
      )}
    </form>
  );
}
