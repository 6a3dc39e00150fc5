import 'server-only';
import { createHash } from 'node:crypto';
import { deleteStoredArchive } from '@/lib/archive/archive-deletion';
import { messageOf } from '@/lib/errors';
import { newestVerifiedBackupIds, policyArchives } from '@/lib/history/backup-history';
import type { PolicyView } from './policy-store';
import { hasRetention, judgeRetention, type RetentionRules, type RetentionVerdict } from './retention';

/** What the policy's retention (or `rules`, to preview a change) keeps and prunes now, per node, newest first. */
export async function retentionVerdicts(policy: Pick<PolicyView, 'id' | 'timeZone' | 'retention'>, rules: RetentionRules = policy.retention): Promise<RetentionVerdict[]> {
  const [archives, protectedIds] = await Promise.all([policyArchives(policy.id), newestVerifiedBackupIds()]);
  return judgeRetention(archives, rules, policy.timeZone, protectedIds);
}

/** Prunes what the retention does not keep: each archive's file goes, its row stays, marked pruned. */
export async function applyRetention(policy: Pick<PolicyView, 'id' | 'name' | 'timeZone' | 'retention'>): Promise<{ pruned: number; problems: string[] }> {
  if (!hasRetention(policy.retention)) return { pruned: 0, problems: [] };
  let pruned = 0;
  const problems: string[] = [];
  for (const verdict of (await retentionVerdicts(policy)).filter((v) => !v.keep)) {
    try {
      await deleteStoredArchive(verdict.id, policy.name);
      pruned += 1;
    } catch (error) {
      // A restore reading it now, say: the next run prunes it.
      problems.push(`${verdict.node} ${verdict.startedAt.toISOString()}: ${messageOf(error)}`);
    }
  }
  return { pruned, problems };
}

/** What saving `rules` would prune now, and a token naming exactly that: a save confirms by sending it back. */
export async function previewRetention(policy: Pick<PolicyView, 'id' | 'timeZone' | 'retention'>, rules: RetentionRules) {
  const prune = (await retentionVerdicts(policy, rules)).filter((v) => !v.keep);
  const token = createHash('sha256')
    .update(JSON.stringify({ rules, timeZone: policy.timeZone, ids: prune.map((v) => v.id) }))
    .digest('hex')
    .slice(0, 32);
  return { prune, token };
}
