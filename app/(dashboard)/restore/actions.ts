'use server';

import { revalidatePath } from 'next/cache';
import { formAction } from '@/lib/auth/form-action';
import { LifeboatError } from '@/lib/errors';
import { getRestore } from '@/lib/history/restore-history';
import { startRestore } from '@/lib/restore/restore-run';
import { restoreFieldsSchema } from '@/lib/validations/restore';

function orderOf(form: FormData) {
  const input = restoreFieldsSchema.parse(Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string' && v !== '')));
  const source = input.backupId
    ? ({ kind: 'backup', backupId: input.backupId } as const)
    : input.uploadId
      ? ({ kind: 'upload', uploadId: input.uploadId, name: String(form.get('uploadName') || 'uploaded archive') } as const)
      : null;
  if (!source) throw new LifeboatError('invalid_input', 'choose a backup from the history, or upload an archive');
  return { input, source };
}

// Verify: a dry run that changes nothing; answers with the report when it ends.
export const verifyRestoreAction = formAction('verify', 'restore.verify', async (form, user) => {
  const { input, source } = orderOf(form);
  const started = await startRestore({ source, target: input.node, opener: input.opener, dryRun: true, force: input.force, requestedBy: user.username });
  const outcome = await started.done;
  if (outcome.error) return { ok: false, message: outcome.error.message };
  return { ok: true, message: 'The archive is authentic and complete.', createdId: started.id, report: (await getRestore(started.id)).report };
});

// Restore: only with the target's name typed; starts the job and goes to its page.
export const applyRestoreAction = formAction('restore', 'restore.start', async (form, user) => {
  const { input, source } = orderOf(form);
  const typed = String(form.get('confirmation') ?? '').trim();
  const node = String(form.get('targetHostname') ?? '');
  if (!node || typed !== node)
    return { ok: false, message: `type ${node || 'the target node'}'s name to confirm`, fieldErrors: { confirmation: ['does not match the target node'] } };
  const started = await startRestore({
    source,
    target: input.node,
    opener: input.opener,
    dryRun: false,
    force: input.force,
    skipSafetyBackup: input.skipSafetyBackup,
    confirmOutage: input.confirmOutage,
    confirmLostQuorum: input.confirmLostQuorum,
    requestedBy: user.username,
  });
  revalidatePath('/restores');
  return { ok: true, message: 'Restoring…', createdId: started.id };
});
