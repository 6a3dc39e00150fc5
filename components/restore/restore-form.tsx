'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { formatBytes } from '@/components/ui/format';
import { ProgressBar } from '@/components/ui/progress-bar';
import type { ActionState } from '@/lib/auth/form-action';
import { emptyOpener, OpenerFields, setOpenerFields } from '@/components/backup/opener-fields';
import { uploadArchive } from './upload-archive';
import { VerificationReportView } from './verification-report';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;
/** `keyOnly`: encrypted to public keys alone, so a private key opens it. */
type BackupOption = { id: string; label: string; node: string; keyOnly?: boolean; safety?: boolean };
/** An action's answer, with the archive and target it was asked about: a report is shown only for those. */
type Answer = (NonNullable<ActionState> & { for?: string }) | null;

/** The archive a restore onto `node` starts from: its newest backup (not a restore's safety copy), else the newest of any node. */
function defaultBackup(backups: BackupOption[], node: string): BackupOption | undefined {
  const normal = backups.filter((b) => !b.safety);
  return normal.find((b) => b.node === node) ?? normal[0] ?? backups[0];
}

export function RestoreForm({
  backups,
  nodes,
  unreachable,
  initialBackupId,
  initialNode,
  verify,
  apply,
}: {
  backups: BackupOption[];
  nodes: string[];
  /** Nodes whose engines do not answer, and why: no restore can reach them. */
  unreachable: { hostname: string; error: string }[];
  initialBackupId?: string;
  initialNode?: string;
  verify: Action;
  apply: Action;
}) {
  const router = useRouter();
  const [sourceKind, setSourceKind] = useState<'backup' | 'upload'>(backups.length || initialBackupId ? 'backup' : 'upload');
  const [start] = useState(() => {
    const asked = backups.find((b) => b.id === initialBackupId);
    const node = initialNode ?? asked?.node ?? defaultBackup(backups, '')?.node ?? nodes[0] ?? '';
    return { node, backup: asked ?? defaultBackup(backups, node) };
  });
  const [backupId, setBackupId] = useState(start.backup?.id ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [uploaded, setUploaded] = useState<{ file: File; id: string } | null>(null);
  const [node, setNode] = useState(start.node);
  // What the operator chose by hand stays; the other follows it (a target's newest backup, a backup's node).
  const [touched, setTouched] = useState({ archive: Boolean(initialBackupId), target: Boolean(initialNode) });
  const [opener, setOpener] = useState(() => emptyOpener(start.backup?.keyOnly ? 'key' : 'passphrase'));
  const [force, setForce] = useState(false);
  const [uploadState, setUploadState] = useState<Answer>(null);
  /** Bytes of the file sent so far, while it uploads. */
  const [sent, setSent] = useState<number | null>(null);
  const answering =
    (action: Action) =>
    async (previous: Answer, { form, asked }: { form: FormData; asked: string }): Promise<Answer> => {
      const answer = await action(previous, form);
      return answer && { ...answer, for: asked };
    };
  const [verified, verifyDispatch, verifying] = useActionState(answering(verify), null);
  const [applied, applyDispatch, applying] = useActionState(answering(apply), null);
  const [, startTransition] = useTransition();
  const chosenBackup = backups.find((b) => b.id === backupId);
  const archiveName = sourceKind === 'backup' ? (chosenBackup?.label ?? 'no backup chosen') : (file?.name ?? 'no file chosen');
  // The archive and target a report or an answer must be about to be shown: changing either clears them.
  const asked = JSON.stringify([sourceKind, sourceKind === 'backup' ? backupId : file && [file.name, file.size, file.lastModified], node]);
  // Once either changes, what was answered before is dropped, even if the same pair is chosen again.
  const [answeredFor, setAnsweredFor] = useState(asked);
  const [dropped, setDropped] = useState<Answer[]>([]);
  if (answeredFor !== asked) {
    setAnsweredFor(asked);
    setDropped([verified, applied, uploadState]);
  }
  const current = (answer: Answer) => (answer?.for === asked && !dropped.includes(answer) ? answer : null);

  useEffect(() => {
    if (applied?.createdId) router.push(`/restores/${applied.createdId}`);
  }, [applied?.createdId, router]);

  const sourceFields = async (): Promise<FormData> => {
    const form = new FormData();
    form.set('node', node);
    setOpenerFields(form, opener);
    form.set('force', String(force));
    if (sourceKind === 'backup') {
      form.set('backupId', backupId);
    } else {
      if (!file) throw new Error('choose an archive to upload');
      let id = uploaded?.file === file ? uploaded.id : null;
      if (!id) {
        setUploadState({ ok: true, message: `Uploading ${file.name} (${formatBytes(file.size)})…`, for: asked });
        setSent(0);
        id = await uploadArchive(file, setSent).finally(() => setSent(null));
      }
      setUploaded({ file, id });
      setUploadState(null);
      form.set('uploadId', id);
      form.set('uploadName', file.name);
    }
    return form;
  };

  const onVerify = async () => {
    try {
      const form = await sourceFields();
      startTransition(() => verifyDispatch({ form, asked }));
    } catch (error) {
      setUploadState({ ok: false, message: error instanceof Error ? error.message : String(error), for: asked });
    }
  };

  const onApply = async (confirmation: FormData) => {
    const form = await sourceFields();
    for (const [key, value] of confirmation.entries()) form.set(key, value);
    form.set('targetHostname', node);
    startTransition(() => applyDispatch({ form, asked }));
  };

  const report = current(verified)?.ok ? verified!.report : null;
  const versionRefused = current(verified) && !verified!.ok && /same major\.minor/.test(verified!.message);

  const chooseBackup = (id: string) => {
    const chosen = backups.find((b) => b.id === id);
    setBackupId(id);
    setTouched({ ...touched, archive: true });
    if (!touched.target) setNode(chosen?.node ?? node);
    // What opens it: a key-only archive has no passphrase to type (unless something was typed already).
    if (!opener.passphrase && !opener.privateKey) setOpener({ ...opener, mode: chosen?.keyOnly ? 'key' : 'passphrase' });
  };
  const chooseTarget = (target: string) => {
    setNode(target);
    setTouched({ ...touched, target: true });
    if (!touched.archive) setBackupId(defaultBackup(backups, target)?.id ?? backupId);
  };

  return (
    <div className="space-y-5">
      <form
        aria-label="Verify an archive"
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          void onVerify();
        }}
      >
        {/* Held while a file uploads: the progress is of that file. */}
        <fieldset className="space-y-2 text-sm" disabled={sent !== null}>
          <legend className="mb-1 font-medium text-slate-800">Archive</legend>
          <label className="flex items-center gap-2">
            <input type="radio" name="sourceKind" checked={sourceKind === 'backup'} onChange={() => setSourceKind('backup')} /> A backup from the history
          </label>
          {sourceKind === 'backup' && (
            <select
              aria-label="Backup"
              value={backupId}
              onChange={(e) => chooseBackup(e.target.value)}
              className="block w-full max-w-xl rounded-md border border-slate-300 px-2 py-1 font-mono text-xs sm:ml-6 sm:w-auto"
            >
              {backups.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.label}
                </option>
              ))}
            </select>
          )}
          <label className="flex items-center gap-2">
            <input type="radio" name="sourceKind" checked={sourceKind === 'upload'} onChange={() => setSourceKind('upload')} /> An archive file (uploaded to the store, never held
            in memory)
          </label>
          {sourceKind === 'upload' && (
            <input
              aria-label="Archive file"
              type="file"
              accept=".gpg,.pgp,application/pgp-encrypted"
              className="ml-6 text-xs"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          )}
        </fieldset>
        <div className="grid gap-3 sm:grid-cols-2">
          <OpenerFields value={opener} onChange={setOpener} />
          <div className="block text-sm">
            <label htmlFor="target-node" className="font-medium text-slate-800">
              Target node
            </label>
            <select
              id="target-node"
              value={node}
              onChange={(e) => chooseTarget(e.target.value)}
              aria-describedby="target-node-hint"
              className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
            >
              {nodes.map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
            <span id="target-node-hint" className="mt-1 block text-xs text-slate-500">
              The node the backup came from, or another one (a replacement for a lost controller).
            </span>
            {unreachable.length > 0 && (
              <span role="alert" className="mt-1 block text-xs text-red-700">
                {nodes.length === 0 ? 'No node can be restored to: no engine answers. ' : 'Not listed, because their engines do not answer: '}
                {unreachable.map((u) => `${u.hostname} (${u.error})`).join('; ')}. Check the endpoints in Settings.
              </span>
            )}
          </div>
        </div>
        {versionRefused && (
          <label className="flex items-center gap-2 text-sm text-amber-900">
            <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Restore across UCP versions anyway (force)
          </label>
        )}
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={verifying || sent !== null}>
            {sent !== null ? 'Uploading…' : verifying ? 'Verifying…' : 'Verify'}
          </Button>
          <FormMessage state={current(uploadState) ?? current(verified)} />
        </div>
        {sent !== null && file && (
          <div data-testid="upload-progress" className="space-y-1 text-xs text-slate-600">
            <ProgressBar share={file.size ? sent / file.size : null} label="Uploaded" />
            <p>
              {formatBytes(sent)} of {formatBytes(file.size)} sent
            </p>
          </div>
        )}
      </form>

      {report && (
        <div key={asked} className="space-y-4 rounded-lg border border-slate-200 p-4">
          <h3 data-testid="report-for" className="text-sm font-medium text-slate-800">
            Verified <span className="font-mono">{archiveName}</span> for <span className="font-mono">{node}</span>
          </h3>
          <VerificationReportView report={report} />
          <form
            aria-label="Restore"
            className="space-y-3 border-t border-slate-200 pt-3"
            onSubmit={(event) => {
              event.preventDefault();
              void onApply(new FormData(event.currentTarget));
            }}
          >
            <p className="text-sm text-red-800">
              Restoring stops {report.target?.stop.length ? <span className="font-mono">{report.target.stop.join(', ')}</span> : 'nothing'} on{' '}
              <span className="font-mono">{node}</span> and replaces the volumes above. While they are stopped, Lifeboat first copies what it replaces: if writing fails, it puts
              that copy back before anything starts, and once the restore succeeds the copy is kept as a safety backup, to undo it.
            </p>
            {report.target?.consent && (
              <label className="flex items-start gap-2 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">
                <input type="checkbox" name={report.target.consent.field} value="true" className="mt-1" />
                <span>
                  <strong className="first-letter:uppercase">{report.target.consent.words}.</strong> {report.target.consent.why}
                </span>
              </label>
            )}
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="skipSafetyBackup" value="true" /> Skip that safety copy (only when the node&apos;s data is lost: if writing then fails, what it stopped
              stays stopped until a restore succeeds)
            </label>
            <Field label={`Type ${node} to confirm`} error={current(applied)?.fieldErrors?.confirmation}>
              <Input name="confirmation" autoComplete="off" required />
            </Field>
            <div className="flex items-center gap-3">
              <Button type="submit" variant="danger" disabled={applying}>
                {applying ? 'Starting…' : `Restore onto ${node}`}
              </Button>
              <FormMessage state={current(applied)} fields={['confirmation']} />
            </div>
          </form>
        </div>
      )}
    </div>
  );
}
