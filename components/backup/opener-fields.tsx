'use client';

import { Field, Input, TextArea } from '@/components/ui/field';

/** What opens an archive, as typed: its passphrase, or the private key it was encrypted to (and the key's own passphrase). */
export type OpenerValue = { mode: 'passphrase' | 'key'; passphrase: string; privateKey: string; keyPassphrase: string };

export const emptyOpener = (mode: OpenerValue['mode'] = 'passphrase'): OpenerValue => ({ mode, passphrase: '', privateKey: '', keyPassphrase: '' });

/** The opener's fields, named as the forms and the API take them. Only the chosen way's fields are sent. */
export function setOpenerFields(form: FormData, value: OpenerValue) {
  if (value.mode === 'passphrase') return form.set('passphrase', value.passphrase);
  form.set('privateKey', value.privateKey);
  if (value.keyPassphrase) form.set('privateKeyPassphrase', value.keyPassphrase);
}

/**
 * "Open with": the archive's passphrase, or an armored private key (pasted, or read from a file in the
 * browser). Inputs carry their field names, so a plain form submits them too. Nothing of it is stored.
 */
export function OpenerFields({ value, onChange }: { value: OpenerValue; onChange: (value: OpenerValue) => void }) {
  const set = (patch: Partial<OpenerValue>) => onChange({ ...value, ...patch });
  return (
    <div className="space-y-2">
      <fieldset className="flex flex-wrap items-center gap-4 text-sm">
        <legend className="sr-only">Open the archive with</legend>
        <span className="font-medium text-slate-800">Open with</span>
        <label className="flex items-center gap-1.5">
          <input type="radio" checked={value.mode === 'passphrase'} onChange={() => set({ mode: 'passphrase' })} /> its passphrase
        </label>
        <label className="flex items-center gap-1.5">
          <input type="radio" checked={value.mode === 'key'} onChange={() => set({ mode: 'key' })} /> a private key
        </label>
      </fieldset>
      {value.mode === 'passphrase' ? (
        <Field label="Passphrase" hint="The archive's passphrase. Never stored.">
          <Input name="passphrase" type="password" value={value.passphrase} onChange={(e) => set({ passphrase: e.target.value })} required autoComplete="off" />
        </Field>
      ) : (
        <div className="space-y-2">
          <Field
            label="Private key (armored)"
            hint={
              <>
                Paste it, or read it from a file:{' '}
                <input
                  type="file"
                  aria-label="Private key file"
                  accept=".asc,.key,text/plain"
                  className="text-xs"
                  onChange={async (e) => {
                    const file = e.target.files?.[0];
                    if (file) set({ privateKey: await file.text() });
                  }}
                />{' '}
                Used for this job only, never stored.
              </>
            }
          >
            <TextArea
              name="privateKey"
              value={value.privateKey}
              onChange={(e) => set({ privateKey: e.target.value })}
              required
              placeholder="-----BEGIN PGP PRIVATE KEY BLOCK-----"
            />
          </Field>
          <Field label="Private key's passphrase" hint="Leave empty if the key has none.">
            <Input name="privateKeyPassphrase" type="password" value={value.keyPassphrase} onChange={(e) => set({ keyPassphrase: e.target.value })} autoComplete="off" />
          </Field>
        </div>
      )}
    </div>
  );
}
