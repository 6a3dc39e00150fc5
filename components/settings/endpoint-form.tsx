'use client';

import { useActionState, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import type { ActionState } from '@/lib/auth/form-action';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

export function EndpointForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, null);
  const [mode, setMode] = useState<'bundle' | 'pem'>('bundle');
  const errors = state?.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-3" aria-label="Add an endpoint">
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Name" error={errors.name} hint="Usually the node's hostname, e.g. ctrl-1.">
          <Input name="name" required placeholder="ctrl-1" />
        </Field>
        <Field label="Engine URL" error={errors.url} hint={mode === 'bundle' ? "Leave empty to use the bundle's DOCKER_HOST." : 'unix:///var/run/docker.sock or tcp://host:2376'}>
          <Input name="url" placeholder="tcp://10.0.0.11:2376" />
        </Field>
      </div>
      <fieldset className="flex gap-4 text-sm">
        <legend className="sr-only">TLS credentials</legend>
        <label className="flex items-center gap-1.5">
          <input type="radio" name="mode" checked={mode === 'bundle'} onChange={() => setMode('bundle')} /> Bundle zip
        </label>
        <label className="flex items-center gap-1.5">
          <input type="radio" name="mode" checked={mode === 'pem'} onChange={() => setMode('pem')} /> PEM files or none
        </label>
      </fieldset>
      {mode === 'bundle' ? (
        <Field label="Client bundle" hint="The zip UCP gives you: ca.pem, cert.pem, key.pem (and env.sh).">
          <Input name="bundle" type="file" accept=".zip,application/zip" />
        </Field>
      ) : (
        <div className="grid gap-3 sm:grid-cols-3">
          <Field label="ca.pem" error={errors.ca}>
            <Input name="ca" type="file" accept=".pem,.crt" />
          </Field>
          <Field label="cert.pem" error={errors.cert}>
            <Input name="cert" type="file" accept=".pem,.crt" />
          </Field>
          <Field label="key.pem" error={errors.key} hint="Stored encrypted.">
            <Input name="key" type="file" accept=".pem,.key" />
          </Field>
        </div>
      )}
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" name="allowPlainTcp" className="mt-1" />
        <span>
          Allow plain TCP (no TLS). <span className="text-slate-600">Only on a network you trust: the cluster&apos;s keys and every archive would cross it in clear.</span>
        </span>
      </label>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? 'Adding…' : 'Add endpoint'}
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
