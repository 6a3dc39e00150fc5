import 'server-only';
import type { PolicyInput } from '@/lib/validations/policy';
import { getPolicy, updatePolicy, type PolicyView } from './policy-store';
import { sameRetention, type RetentionVerdict } from './retention';
import { applyRetention, previewRetention } from './retention-run';

export type PolicyEdit = { saved: PolicyView; pruned: number } | { preview: { token: string; prune: RetentionVerdict[] } };

/**
 * Saves a policy's new settings. A change of retention (or of the zone its days are read in) that would
 * prune archives now is shown first: it is saved, and applied, only when `confirmPrune` is the token of
 * that same preview.
 */
export async function editPolicy(id: string, input: PolicyInput, confirmPrune?: string | null): Promise<PolicyEdit> {
  const before = await getPolicy(id);
  if (!sameRetention(before.retention, input.retention) || before.timeZone !== input.timeZone) {
    const preview = await previewRetention({ ...before, timeZone: input.timeZone }, input.retention);
    if (preview.prune.length > 0 && confirmPrune !== preview.token) return { preview };
  }
  const saved = await updatePolicy(id, input);
  return { saved, pruned: (await applyRetention(saved)).pruned };
}
