'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { CheckboxList } from '@/components/ui/checkbox-list';
import { keyOptions, type RecipientKey } from './recipient-keys';
import { Field, Input } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import type { ActionState } from '@/lib/auth/form-action';

type Volume = { name: string; ucp: boolean; usedBy: { name: string; state: string; ucp: boolean }[] };
type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

/** Starts the browser's download of an archive without leaving the page. */
function downloadArchive(backupId: string) {
  const link = document.createElement('a');
  link.href = `/api/v1/backups/${backupId}/archive`;
  link.download = '';
  document.body.append(link);
  link.click();
  link.remove();
}

export function BackupForm({
  action,
  node,
  volumes,
  isController,
  controllers,
  lostQuorum,
  keys,
}: {
  action: Action;
  node: string;
  volumes: Volume[];
  isController: boolean;
  controllers: number;
  lostQuorum: boolean;
  keys: RecipientKey[];
}) {
  const router = useRouter();
  const [state, formAction, pending] = useActionState(action, null);
  const [scope, setScope] = useState<'ucp' | 'root-ca' | 'custom'>(isController ? 'ucp' : 'custom');
  const [chosen, setChosen] = useState<string[]>([]);
  const [chosenKeys, setChosenKeys] = useState<string[]>([]);
  // With a public key chosen, the passphrase is optional: the key's holder opens the archive.
  const passphraseRequired = chosenKeys.length === 0;
  const errors = state?.fieldErrors ?? {};

  useEffect(() => {
    if (!state?.createdId) return;
    downloadArchive(state.createdId);
    router.push(`/backups/${state.createdId}`);
  }, [state?.createdId, router]);

  const userContainers = [
    ...new Set(
      volumes.filter((v) => scope === 'custom' && chosen.includes(v.name) && !v.ucp).flatMap((v) => v.usedBy.filter((c) => !c.ucp && c.state === 'running').map((c) => c.name)),
    ),
  ];
  const ucpVolumes = volumes.filter((v) => v.ucp).length;

  return (
    <form action={formAction} className="space-y-4" aria-label="Back up now">
      <input type="hidden" name="node" value={node} />
      <fieldset className="space-y-1 text-sm">
        <legend className="mb-1 font-medium text-slate-800">Volumes</legend>
        {isController && (
          <>
            <label className="flex items-center gap-2">
              <input type="radio" name="scope" value="ucp" checked={scope === 'ucp'} onChange={() => setScope('ucp')} />
              Every UCP volume ({ucpVolumes})
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="scope" value="root-ca" checked={scope === 'root-ca'} onChange={() => setScope('root-ca')} />
              Root CA only (ucp-client-root-ca, ucp-cluster-root-ca)
            </label>
          </>
        )}
        <label className="flex items-center gap-2">
          <input type="radio" name="scope" value="custom" checked={scope === 'custom'} onChange={() => setScope('custom')} />A selection of this node&apos;s volumes
        </label>
        {scope === 'custom' && (
          <CheckboxList
            name="volumes"
            className="ml-6 grid gap-x-4 gap-y-0.5 sm:grid-cols-2"
            chosen={chosen}
            onChange={setChosen}
            options={volumes.map((v) => ({
              value: v.name,
              label: (
                <>
                  <span className="font-mono text-xs">{v.name}</span>
                  {!v.ucp && <span className="text-xs text-slate-500">user</span>}
                </>
              ),
            }))}
          />
        )}
        {errors.volumes?.map((e) => (
          <p key={e} className="text-xs text-red-700">
            {e}
          </p>
        ))}
      </fieldset>

      {userContainers.length > 0 && (
        <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          <p>
            In use by your container{userContainers.length > 1 ? 's' : ''} <span className="font-mono">{userContainers.join(', ')}</span>. A UCP backup never stops users&apos;
            containers on its own: without stopping, the copy is taken while they write.
          </p>
          <label className="mt-2 flex items-center gap-2">
            <input type="checkbox" name="stopUserContainers" /> Stop and restart {userContainers.join(', ')} too, for a consistent copy
          </label>
        </div>
      )}

      {keys.length > 0 && (
        <fieldset className="space-y-1 text-sm">
          <legend className="mb-1 font-medium text-slate-800">Encrypt to public keys</legend>
          <CheckboxList name="keys" chosen={chosenKeys} onChange={setChosenKeys} options={keyOptions(keys)} />
          <p className="text-xs text-slate-500">The holder of a chosen key&apos;s private key can verify and restore the archive. A passphrase is then optional.</p>
          {errors.keys?.map((e) => (
            <p key={e} className="text-xs text-red-700">
              {e}
            </p>
          ))}
        </fieldset>
      )}

      <div className="grid gap-3 sm:grid-cols-2">
        <Field
          label={passphraseRequired ? 'Passphrase' : 'Passphrase (optional)'}
          error={errors.passphrase}
          hint="At least 12 characters. Lifeboat never stores it: without it (or a chosen key) the archive cannot be read."
        >
          <Input name="passphrase" type="password" autoComplete="new-password" required={passphraseRequired} minLength={12} />
        </Field>
        <Field label="Passphrase again" error={errors.passphraseAgain}>
          <Input name="passphraseAgain" type="password" autoComplete="new-password" required={passphraseRequired} minLength={12} />
        </Field>
      </div>
      <Field label="Note (optional)" error={errors.note}>
        <Input name="note" maxLength={500} placeholder="before the upgrade to 3.3" />
      </Field>

      {isController && lostQuorum && (
        <label className="flex items-start gap-2 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">
          <input type="checkbox" name="confirmLostQuorum" className="mt-1" />
          <span>
            <strong>The cluster has lost quorum; back up anyway.</strong> Most controllers&apos; UCP is down: backing up {node}&apos;s UCP volumes stops what still runs there until
            they are read.
          </span>
        </label>
      )}
      {isController && !lostQuorum && controllers <= 2 && (
        <label className="flex items-start gap-2 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">
          <input type="checkbox" name="confirmOutage" className="mt-1" />
          <span>
            <strong>This stops the control plane.</strong> This cluster has {controllers} controller{controllers === 1 ? '' : 's'}: backing up {node}&apos;s UCP volumes stops UCP
            until they are read.
          </span>
        </label>
      )}

      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? 'Starting…' : 'Back up now'}
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
