'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { useKeptForm, type FormActionFn } from '@/components/ui/use-kept-form';

/** What an edited endpoint starts from (its certificates stay unless new ones are given). */
export type EndpointDefaults = { id: string; name: string; url: string; tls: boolean; plainTcp: boolean };

/** Adds an endpoint, or with `endpoint`, edits it: its name, URL, and new certificates or a new bundle. */
export function EndpointForm({ action, endpoint }: { action: FormActionFn; endpoint?: EndpointDefaults }) {
  const { state, pending, form, generation } = useKeptForm(action);
  const [mode, setMode] = useState<'bundle' | 'pem'>('bundle');
  const editing = Boolean(endpoint);
  const errors = state?.fieldErrors ?? {};
  return (
    <form {...form} className="space-y-3" aria-label={endpoint ? `Edit ${endpoint.name}` : 'Add an endpoint'}>
      {endpoint && <input type="hidden" name="id" value={endpoint.id} />}
      {/* A new endpoint's fields start afresh once it is added; the status line stays, so it is read out. */}
      <div key={editing ? 'edit' : generation} className="space-y-3">
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Name" error={errors.name} hint="Usually the node's hostname, e.g. ctrl-1.">
            <Input name="name" required placeholder="ctrl-1" defaultValue={endpoint?.name} />
          </Field>
          <Field label="Engine URL" error={errors.url} hint={mode === 'bundle' ? "Leave empty to use the bundle's DOCKER_HOST." : 'unix:///var/run/docker.sock or tcp://host:2376'}>
            <Input name="url" placeholder="tcp://10.0.0.11:2376" defaultValue={endpoint?.url} />
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
          <Field
            label="Client bundle"
            hint={endpoint?.tls ? 'A new bundle replaces its certificates and key; without one, they stay.' : 'The zip UCP gives you: ca.pem, cert.pem, key.pem (and env.sh).'}
          >
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
          <input type="checkbox" name="allowPlainTcp" className="mt-1" defaultChecked={endpoint?.plainTcp} />
          <span>
            Allow plain TCP (no TLS). <span className="text-slate-600">Only on a network you trust: the cluster&apos;s keys and every archive would cross it in clear.</span>
          </span>
        </label>
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? 'Saving…' : editing ? 'Save endpoint' : 'Add endpoint'}
        </Button>
        <FormMessage state={state} fields={mode === 'pem' ? ['name', 'url', 'ca', 'cert', 'key'] : ['name', 'url']} />
      </div>
    </form>
  );
}
