'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { formAction } from '@/lib/auth/form-action';
import { editPolicy } from '@/lib/policies/policy-edit';
import { createPolicy, deletePolicy, setPolicyEnabled } from '@/lib/policies/policy-store';
import { runPolicyNow } from '@/lib/policies/scheduler';
import { policyFromForm } from '@/lib/validations/policy';

const idSchema = z.object({ id: z.string().min(1) });

export const savePolicyAction = formAction('manage', 'policy.save', async (form, user) => {
  const input = policyFromForm(form);
  const id = form.get('id');
  if (typeof id !== 'string' || !id) {
    const policy = await createPolicy(input, user.username);
    revalidatePath('/policies');
    return { ok: true, message: `Saved "${policy.name}".`, createdId: policy.id };
  }
  const edit = await editPolicy(id, input, form.get('confirmPrune')?.toString());
  if ('preview' in edit) {
    const { token, prune } = edit.preview;
    return {
      ok: false,
      message: `Saving this retention prunes ${archives(prune.length)} now (below): save again to confirm.`,
      prunePreview: { token, archives: prune.map((v) => ({ id: v.id, node: v.node, startedAt: v.startedAt.toISOString(), why: v.why })) },
    };
  }
  revalidatePath('/policies');
  return { ok: true, message: `Saved "${edit.saved.name}".${edit.pruned ? ` Retention pruned ${archives(edit.pruned)}.` : ''}` };
});

export const runPolicyNowAction = formAction('run-policy', 'policy.run', async (form, user) => {
  const { id } = idSchema.parse(Object.fromEntries(form));
  const run = await runPolicyNow(id, user.username);
  revalidatePath('/policies');
  return { ok: true, message: `Run started at ${run.startedAt.toISOString().slice(11, 19)} UTC: its backups appear in the history as they go.` };
});

export const enablePolicyAction = formAction('manage', 'policy.enable', async (form) => {
  const { id, enabled } = idSchema.extend({ enabled: z.enum(['true', 'false']) }).parse(Object.fromEntries(form));
  const policy = await setPolicyEnabled(id, enabled === 'true');
  revalidatePath('/policies');
  return { ok: true, message: policy.enabled ? `"${policy.name}" is enabled: runs are counted from now.` : `"${policy.name}" is disabled.` };
});

export const deletePolicyAction = formAction('manage', 'policy.delete', async (form) => {
  const { id } = idSchema.parse(Object.fromEntries(form));
  await deletePolicy(id);
  revalidatePath('/policies');
  return { ok: true, message: 'Policy deleted; its backups stay in the history.' };
});

function archives(count: number) {
  return `${count} archive${count === 1 ? '' : 's'}`;
}
