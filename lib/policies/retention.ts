/**
 * Which of a policy's archives to keep, per node. Rules pick among verified backups only (a backup is
 * good once a verification proved it restores): the last N, and the newest of each of the last D days,
 * W ISO weeks and M months in the policy's zone. Never pruned: each node's newest verified backup, and a
 * backup not verified yet. A backup whose verification failed is pruned. No rule at all keeps everything.
 */

export type RetentionRules = { keepLast: number | null; keepDaily: number | null; keepWeekly: number | null; keepMonthly: number | null };

/** A stored archive of the policy: `verified` is its last verification's verdict (null: none yet). */
export type RetentionCandidate = { id: string; node: string; startedAt: Date; verified: boolean | null };

export type RetentionVerdict = RetentionCandidate & { keep: boolean; why: string };

export const NO_RETENTION: RetentionRules = { keepLast: null, keepDaily: null, keepWeekly: null, keepMonthly: null };

export function hasRetention(rules: RetentionRules) {
  return Object.values(rules).some((n) => n !== null);
}

export function sameRetention(a: RetentionRules, b: RetentionRules) {
  return a.keepLast === b.keepLast && a.keepDaily === b.keepDaily && a.keepWeekly === b.keepWeekly && a.keepMonthly === b.keepMonthly;
}

/** "the last 7, 14 daily, 8 weekly" */
export function describeRetention(rules: RetentionRules) {
  if (!hasRetention(rules)) return 'every archive is kept';
  const parts = [
    rules.keepLast !== null && `the last ${rules.keepLast}`,
    rules.keepDaily !== null && `${rules.keepDaily} daily`,
    rules.keepWeekly !== null && `${rules.keepWeekly} weekly`,
    rules.keepMonthly !== null && `${rules.keepMonthly} monthly`,
  ].filter(Boolean);
  return `keeps ${parts.join(', ')} per node (verified backups only)`;
}

/** Every candidate with its verdict and the reason, newest first per node. `protectedIds`: each node's newest verified backup. */
export function judgeRetention(candidates: RetentionCandidate[], rules: RetentionRules, timeZone: string, protectedIds: Set<string>): RetentionVerdict[] {
  const nodes = [...new Set(candidates.map((c) => c.node))].sort();
  return nodes.flatMap((node) => {
    const newestFirst = candidates.filter((c) => c.node === node).sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
    if (!hasRetention(rules)) return newestFirst.map((c) => ({ ...c, keep: true, why: 'no retention rule' }));
    const good = newestFirst.filter((c) => c.verified === true);
    const reasons = new Map<string, string[]>();
    const keep = (c: RetentionCandidate, why: string) => reasons.set(c.id, [...(reasons.get(c.id) ?? []), why]);
    good.slice(0, rules.keepLast ?? 0).forEach((c) => keep(c, `one of the last ${rules.keepLast}`));
    newestOfEach(good, rules.keepDaily, (at) => dayOf(at, timeZone)).forEach((c) => keep(c, 'the newest of its day'));
    newestOfEach(good, rules.keepWeekly, (at) => isoWeekOf(at, timeZone)).forEach((c) => keep(c, 'the newest of its week'));
    newestOfEach(good, rules.keepMonthly, (at) => dayOf(at, timeZone).slice(0, 7)).forEach((c) => keep(c, 'the newest of its month'));
    return newestFirst.map((c) => {
      if (protectedIds.has(c.id)) return { ...c, keep: true, why: `the newest verified backup of ${node}` };
      if (reasons.has(c.id)) return { ...c, keep: true, why: reasons.get(c.id)!.join(', ') };
      if (c.verified === null) return { ...c, keep: true, why: 'not verified yet' };
      return { ...c, keep: false, why: c.verified === false ? 'its verification failed' : 'outside the retention rules' };
    });
  });
}

/** The newest candidate of each of the first `count` periods (newest first). */
function newestOfEach(newestFirst: RetentionCandidate[], count: number | null, periodOf: (at: Date) => string) {
  const picked: RetentionCandidate[] = [];
  const seen = new Set<string>();
  for (const c of newestFirst) {
    if (seen.size >= (count ?? 0)) break;
    const period = periodOf(c.startedAt);
    if (seen.has(period)) continue;
    seen.add(period);
    picked.push(c);
  }
  return picked;
}

/** "2026-12-02", the date on the zone's calendar. */
function dayOf(at: Date, timeZone: string) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** "2026-W49": the ISO week (Monday first; the week of the year's first Thursday is week 1) of the zone's date. */
function isoWeekOf(at: Date, timeZone: string) {
  const [year, month, day] = dayOf(at, timeZone).split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const weekYear = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(weekYear, 0, 1)) / 86_400_000 + 1) / 7);
  return `${weekYear}-W${String(week).padStart(2, '0')}`;
}
