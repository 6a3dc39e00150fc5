'use client';

import Link from 'next/link';
import { useId, useState } from 'react';
import { keyOptions, type RecipientKey } from '@/components/backup/recipient-keys';
import { Button } from '@/components/ui/button';
import { CheckboxList } from '@/components/ui/checkbox-list';
import { Field, Input } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { formatTime } from '@/components/ui/format';
import { useKeptForm, type FormActionFn } from '@/components/ui/use-kept-form';
import type { ActionState } from '@/lib/auth/form-action';

/** What the form starts from: a saved policy's settings, or a new one's defaults. */
export type PolicyDefaults = {
  id?: string;
  name: string;
  cron: string;
  timeZone: string;
  target: 'node' | 'all-controllers' | 'rotation';
  node: string | null;
  scope: 'ucp' | 'root-ca';
  keys: string[];
  missedRuns: 'run-once' | 'skip';
  verify: boolean;
  retention: { keepLast: number | null; keepDaily: number | null; keepWeekly: number | null; keepMonthly: number | null };
  outageConsent: boolean;
  businessDays: number[];
  businessStart: string;
  businessEnd: string;
  enabled: boolean;
};

export const NEW_POLICY: PolicyDefaults = {
  name: '',
  cron: '0 2 * * *',
  timeZone: 'UTC',
  target: 'rotation',
  node: null,
  scope: 'ucp',
  keys: [],
  missedRuns: 'run-once',
  verify: true,
  retention: { keepLast: null, keepDaily: null, keepWeekly: null, keepMonthly: null },
  outageConsent: false,
  businessDays: [1, 2, 3, 4, 5],
  businessStart: '08:00',
  businessEnd: '18:00',
  enabled: true,
};

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map((label, i) => ({ value: String(i + 1), label }));

/** The fields that show their own errors (the form's message does not repeat them). */
const FIELDS_WITH_ERRORS = ['name', 'cron', 'timeZone', 'node', 'keys', 'verify', 'businessDays', 'businessStart', 'businessEnd'];

const RETENTION = [
  { name: 'keepLast', label: 'Keep the last' },
  { name: 'keepDaily', label: 'Daily' },
  { name: 'keepWeekly', label: 'Weekly' },
  { name: 'keepMonthly', label: 'Monthly' },
] as const;

const TARGETS = [
  { value: 'rotation', label: 'One controller per run, in rotation' },
  { value: 'all-controllers', label: 'All controllers, one after another' },
  { value: 'node', label: 'One node' },
] as const;

type FormProps = {
  action: FormActionFn;
  policy?: PolicyDefaults;
  nodes: { hostname: string; role: string }[];
  keys: RecipientKey[];
  controllers: number;
  /** About how long a controller's backup stops UCP, from the history. */
  downtimeSeconds: number;
  timeZones: string[];
};

export function PolicyForm({ action, ...props }: FormProps) {
  const { state, pending, form, generation } = useKeptForm(action);
  const policy = props.policy ?? NEW_POLICY;
  return (
    <form className="space-y-4" aria-label={policy.id ? `Edit ${policy.name}` : 'New policy'} {...form}>
      {/* A new policy's fields start afresh once one is saved (an edit keeps what was saved); the status line stays, so it is read out. */}
      <PolicyFields key={policy.id ? 'edit' : generation} {...props} state={state} />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? 'Saving…' : policy.id ? 'Save policy' : 'Create policy'}
        </Button>
        <FormMessage state={state} fields={[...FIELDS_WITH_ERRORS, ...RETENTION.map((r) => r.name)]} />
      </div>
    </form>
  );
}

function PolicyFields({ policy = NEW_POLICY, nodes, keys, controllers, downtimeSeconds, timeZones, state }: Omit<FormProps, 'action'> & { state: ActionState }) {
  const [target, setTarget] = useState(policy.target);
  const [chosenKeys, setChosenKeys] = useState(policy.keys);
  const [days, setDays] = useState(policy.businessDays.map(String));
  const zoneList = useId();
  const errors = state?.fieldErrors ?? {};

  return (
    <>
      {policy.id && <input type="hidden" name="id" value={policy.id} />}
      <div className="grid gap-3 sm:grid-cols-3">
        <Field label="Name" error={errors.name}>
          <Input name="name" defaultValue={policy.name} required maxLength={80} placeholder="nightly rotation" />
        </Field>
        <Field label="Cron" error={errors.cron} hint="minute hour day-of-month month day-of-week: 0 2 * * * is 02:00 every night">
          <Input name="cron" defaultValue={policy.cron} required />
        </Field>
        <Field label="Time zone" error={errors.timeZone} hint="The cron's times, with this zone's daylight-saving changes">
          <Input name="timeZone" defaultValue={policy.timeZone} list={zoneList} required />
        </Field>
        <datalist id={zoneList}>
          {timeZones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </div>

      <fieldset className="space-y-1 text-sm">
        <legend className="mb-1 font-medium text-slate-800">Back up</legend>
        {TARGETS.map((t) => (
          <label key={t.value} className="flex items-center gap-2">
            <input type="radio" name="target" value={t.value} checked={target === t.value} onChange={() => setTarget(t.value)} />
            {t.label}
          </label>
        ))}
        {target === 'node' && (
          <select name="node" defaultValue={policy.node ?? ''} aria-label="Node" className="ml-6 rounded-md border border-slate-300 px-2 py-1 text-sm">
            <option value="" disabled>
              choose a node
            </option>
            {nodes
              .filter((n) => n.role === 'manager')
              .map((n) => (
                <option key={n.hostname} value={n.hostname}>
                  {n.hostname}
                </option>
              ))}
          </select>
        )}
        <FieldErrors errors={errors.node} />
      </fieldset>

      <fieldset className="space-y-1 text-sm">
        <legend className="mb-1 font-medium text-slate-800">Volumes</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name="scope" value="ucp" defaultChecked={policy.scope === 'ucp'} /> Every UCP volume
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="scope" value="root-ca" defaultChecked={policy.scope === 'root-ca'} /> Root CA only
        </label>
      </fieldset>

      <fieldset className="space-y-1 text-sm">
        <legend className="mb-1 font-medium text-slate-800">Encrypt to public keys</legend>
        {keys.length === 0 ? (
          <p className="text-slate-600">
            A policy runs unattended, so it never holds a passphrase: its archives are encrypted to public keys.{' '}
            <Link href="/settings" className="text-sky-800 underline underline-offset-2">
              Import one under Settings
            </Link>{' '}
            first.
          </p>
        ) : (
          <CheckboxList name="keys" chosen={chosenKeys} onChange={setChosenKeys} options={keyOptions(keys)} />
        )}
        <FieldErrors errors={errors.keys} />
      </fieldset>

      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" name="verify" defaultChecked={policy.verify} className="mt-1" />
        <span>
          Verify each archive once it is stored: its integrity and every file&apos;s SHA-256, read back with the session key the backup held in memory, so no private key is needed
          (the keys&apos; own packets are proved only by opening the archive with a private key).
          <FieldErrors errors={errors.verify} />
        </span>
      </label>

      <fieldset className="text-sm">
        <legend className="mb-1 font-medium text-slate-800">Retention, per node</legend>
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          {RETENTION.map((r) => (
            <Field key={r.name} label={r.label} error={errors[r.name]}>
              <Input name={r.name} type="number" min={1} max={1000} defaultValue={policy.retention[r.name] ?? ''} placeholder="—" />
            </Field>
          ))}
        </div>
        <p className="mt-1 text-xs text-slate-500">
          Empty: the rule is not used; all empty: every archive is kept. Only verified backups count, and a node&apos;s newest verified backup is never pruned. A pruned
          archive&apos;s file is deleted; its row stays in the history, marked pruned.
        </p>
        {state?.prunePreview && (
          <div role="alert" className="mt-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-900">
            <input type="hidden" name="confirmPrune" value={state.prunePreview.token} />
            <p className="font-medium">Saving prunes these archives now:</p>
            <ul className="mt-1 list-disc pl-5" data-testid="prune-preview">
              {state.prunePreview.archives.map((a) => (
                <li key={a.id}>
                  <span className="font-mono">{a.node}</span> {formatTime(a.startedAt)}: {a.why}
                </li>
              ))}
            </ul>
          </div>
        )}
      </fieldset>

      <fieldset className="space-y-1 text-sm">
        <legend className="mb-1 font-medium text-slate-800">Runs missed while no Lifeboat server ran</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name="missedRuns" value="run-once" defaultChecked={policy.missedRuns === 'run-once'} /> Run once when the server starts
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="missedRuns" value="skip" defaultChecked={policy.missedRuns === 'skip'} /> Skip them (recorded as skipped)
        </label>
      </fieldset>

      <fieldset className="text-sm">
        <legend className="mb-1 font-medium text-slate-800">Business hours, in the policy&apos;s zone</legend>
        <div className="flex flex-wrap items-end gap-4">
          <CheckboxList name="businessDays" className="flex flex-wrap gap-3" chosen={days} onChange={setDays} options={WEEKDAYS} />
          <FieldErrors errors={errors.businessDays} />
          <Field label="From" error={errors.businessStart}>
            <Input name="businessStart" type="time" defaultValue={policy.businessStart} />
          </Field>
          <Field label="Until" error={errors.businessEnd}>
            <Input name="businessEnd" type="time" defaultValue={policy.businessEnd} />
          </Field>
        </div>
        <p className="mt-1 text-xs text-slate-500">The page warns of runs that fall inside them: a backup stops a controller&apos;s UCP while it reads.</p>
      </fieldset>

      {controllers > 2 && policy.outageConsent && <input type="hidden" name="outageConsent" value="on" />}
      {controllers <= 2 && (
        <label className="flex items-start gap-2 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">
          <input type="checkbox" name="outageConsent" defaultChecked={policy.outageConsent} className="mt-1" />
          <span>
            <strong>These runs stop the control plane for about {downtimeSeconds} s.</strong> This cluster has {controllers} controller{controllers === 1 ? '' : 's'}: each backup
            of one stops UCP until its volumes are read. Without this consent, runs are skipped and say why.
          </span>
        </label>
      )}

      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="enabled" defaultChecked={policy.enabled} /> Enabled
      </label>
    </>
  );
}

function FieldErrors({ errors }: { errors?: string[] }) {
  return errors?.map((e) => (
    <p key={e} className="text-xs text-red-700">
      {e}
    </p>
  ));
}
