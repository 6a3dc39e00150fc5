'use client';

import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { useKeptForm, type FormActionFn } from '@/components/ui/use-kept-form';
import type { BackupAgeThresholds } from '@/lib/webhooks/webhook-store';

/** After how many hours without a good backup a controller shows amber, then red (and is reported). */
export function AlertSettingsForm({ action, thresholds }: { action: FormActionFn; thresholds: BackupAgeThresholds }) {
  const { state, pending, form } = useKeptForm(action);
  return (
    <form {...form} aria-label="Alerting" className="flex flex-wrap items-end gap-3">
      <div className="w-56">
        <Field label="Amber after (hours)" hint="without a good backup" error={state?.fieldErrors?.warnAfterHours}>
          <Input name="warnAfterHours" type="number" min={1} max={2160} defaultValue={thresholds.warnAfterHours} required />
        </Field>
      </div>
      <div className="w-56">
        <Field label="Red and reported after (hours)" hint="node.no_good_backup" error={state?.fieldErrors?.noGoodBackupHours}>
          <Input name="noGoodBackupHours" type="number" min={1} max={2160} defaultValue={thresholds.noGoodBackupHours} required />
        </Field>
      </div>
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? 'Saving…' : 'Save'}
      </Button>
      <FormMessage state={state} fields={['warnAfterHours', 'noGoodBackupHours']} />
    </form>
  );
}
