'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { CheckboxList } from '@/components/ui/checkbox-list';
import { keyOptions, type RecipientKey } from './recipient-keys';
import { Field, Input } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { useKeptForm, type FormActionFn } from '@/components/ui/use-kept-form';
import type { BackupPreview } from '@/lib/backup/backup-preview';
import { BackupPreviewPanel } from './backup-preview';

type Volume = { name: string; ucp: boolean; usedBy: { name: string; state: string; ucp: boolean }[] };

/** Starts the browser's download of an archive without leaving the page. */
function downloadArchive(backupId: string) {
  const link = document.createElement('a');
  link.href = `/api/v1/backups/${backupId}/archive`;
  link.download = '';
  document.body.append(link);
  link.click();
  link.remove();
}

/** The fields that show their own errors (the form's message does not repeat them). */
const FIELDS_WITH_ERRORS = ['volumes', 'keys', 'passphrase', 'passphraseAgain', 'note'];

/**
 * Asks the server what a backup of this selection would do, again whenever the selection changes;
 * only the newest answer is shown.
 */
function usePreview(previewAction: FormActionFn, fields: { node: string; scope: string; volumes: string[]; stopUserContainers: boolean }) {
  const [answer, setAnswer] = useState<{ for: string; preview: BackupPreview | null; problem: string | null } | null>(null);
  const asked = JSON.stringify(fields);
  useEffect(() => {
    const { node, scope, volumes, stopUserContainers } = JSON.parse(asked) as typeof fields;
    if (scope === 'custom' && volumes.length === 0) return;
    let current = true;
    const form = new FormData();
    form.set('node', node);
    form.set('scope', scope);
    for (const v of volumes) form.append('volumes', v);
    if (stopUserContainers) form.set('stopUserContainers', 'on');
    const timer = setTimeout(() => {
      previewAction(null, form).then(
        (state) => current && setAnswer({ for: asked, preview: state?.ok ? (state.preview ?? null) : null, problem: state?.ok ? null : (state?.message ?? 'no answer') }),
        (error: unknown) => current && setAnswer({ for: asked, preview: null, problem: `cannot tell: ${error instanceof Error ? error.message : String(error)}` }),
      );
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [asked, previewAction]);
  if (fields.scope === 'custom' && fields.volumes.length === 0) return { preview: null, problem: 'Choose at least one volume to see what a backup would stop.', pending: false };
  return { preview: answer?.preview ?? null, problem: answer?.problem ?? null, pending: answer?.for !== asked };
}

export function BackupForm({
  action,
  preview: previewAction,
  node,
  volumes,
  isController,
  controllers,
  lostQuorum,
  keys,
}: {
  action: FormActionFn;
  preview: FormActionFn;
  node: string;
  volumes: Volume[];
  isController: boolean;
  controllers: number;
  lostQuorum: boolean;
  keys: RecipientKey[];
}) {
  const router = useRouter();
  const { state, pending, form } = useKeptForm(action);
  const [scope, setScope] = useState<'ucp' | 'root-ca' | 'custom'>(isController ? 'ucp' : 'custom');
  const [chosen, setChosen] = useState<string[]>([]);
  const [chosenKeys, setChosenKeys] = useState<string[]>([]);
  const [stopUsers, setStopUsers] = useState(false);
  const preview = usePreview(previewAction, { node, scope, volumes: scope === 'custom' ? chosen : [], stopUserContainers: stopUsers });
  // The guard's dry check says which consent a stop needs; until it answers, what the page saw of the cluster.
  const guard = preview.preview?.guard;
  const consent = preview.preview
    ? guard?.verdict === 'consent'
      ? guard.consent
      : null
    : isController && lostQuorum
      ? 'confirmLostQuorum'
      : isController && controllers <= 2
        ? 'confirmOutage'
        : null;
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
    <form {...form} className="space-y-4" aria-label="Back up now">
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
            <input type="checkbox" name="stopUserContainers" checked={stopUsers} onChange={(e) => setStopUsers(e.target.checked)} /> Stop and restart {userContainers.join(', ')}{' '}
            too, for a consistent copy
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

      {consent === 'confirmLostQuorum' && (
        <label className="flex items-start gap-2 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">
          <input type="checkbox" name="confirmLostQuorum" className="mt-1" />
          <span>
            <strong>The cluster has lost quorum; back up anyway.</strong> Most controllers&apos; UCP is down: backing up {node}&apos;s UCP volumes stops what still runs there until
            they are read.
          </span>
        </label>
      )}
      {consent === 'confirmOutage' && (
        <label className="flex items-start gap-2 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">
          <input type="checkbox" name="confirmOutage" className="mt-1" />
          <span>
            <strong>This stops the control plane.</strong> This cluster has {controllers} controller{controllers === 1 ? '' : 's'}: backing up {node}&apos;s UCP volumes stops UCP
            until they are read.
          </span>
        </label>
      )}

      <BackupPreviewPanel {...preview} />

      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? 'Starting…' : 'Back up now'}
        </Button>
        <FormMessage state={state} fields={FIELDS_WITH_ERRORS} />
      </div>
    </form>
  );
}
