import { describe, expect, it } from 'vitest';
import { describeRetention, judgeRetention, NO_RETENTION, type RetentionCandidate } from './retention';

/** A nightly backup of `node` at 02:00 UTC, `daysAgo` days before 2027-03-31 (a Wednesday). */
function nightly(node: string, daysAgo: number, verified: boolean | null = true): RetentionCandidate {
  return { id: `${node}-${daysAgo}`, node, startedAt: new Date(Date.UTC(2027, 2, 31 - daysAgo, 2)), verified };
}

const kept = (verdicts: ReturnType<typeof judgeRetention>) => verdicts.filter((v) => v.keep).map((v) => v.id);

describe('retention', () => {
  const month = Array.from({ length: 40 }, (_, i) => nightly('ctrl-1', i));

  it('keeps the last N, per node', () => {
    const both = [...month.slice(0, 5), ...Array.from({ length: 5 }, (_, i) => nightly('ctrl-2', i))];
    expect(kept(judgeRetention(both, { ...NO_RETENTION, keepLast: 2 }, 'UTC', new Set()))).toEqual(['ctrl-1-0', 'ctrl-1-1', 'ctrl-2-0', 'ctrl-2-1']);
  });

  it('keeps the newest of each of the last days, ISO weeks and months, in the policy zone', () => {
    const verdicts = judgeRetention(month, { keepLast: null, keepDaily: 3, keepWeekly: 3, keepMonthly: 2 }, 'UTC', new Set());
    // Days: 31, 30, 29 March. Weeks (Monday first): 29–31 March, 22–28, 15–21 (their newest: the 31st, 28th, 21st). Months: March, February.
    expect(kept(verdicts)).toEqual(['ctrl-1-0', 'ctrl-1-1', 'ctrl-1-2', 'ctrl-1-3', 'ctrl-1-10', 'ctrl-1-31']);
    expect(verdicts.find((v) => v.id === 'ctrl-1-0')!.why).toBe('the newest of its day, the newest of its week, the newest of its month');
    expect(verdicts.find((v) => v.id === 'ctrl-1-5')).toMatchObject({ keep: false, why: 'outside the retention rules' });
  });

  it('reads days in the zone: 02:00 UTC is the previous evening in New York', () => {
    const twoNights = [nightly('ctrl-1', 0), { ...nightly('ctrl-1', 0), id: 'late', startedAt: new Date(Date.UTC(2027, 2, 31, 3)) }];
    expect(kept(judgeRetention(twoNights, { ...NO_RETENTION, keepDaily: 1 }, 'UTC', new Set()))).toEqual(['late']);
    expect(kept(judgeRetention(twoNights, { ...NO_RETENTION, keepDaily: 2 }, 'America/New_York', new Set()))).toEqual(['late']);
  });

  it('counts verified backups only: one not verified yet is kept, a broken one pruned, and the newest verified one never goes', () => {
    const set = [nightly('ctrl-1', 0, null), nightly('ctrl-1', 1, false), nightly('ctrl-1', 2), nightly('ctrl-1', 3)];
    const verdicts = judgeRetention(set, { ...NO_RETENTION, keepMonthly: 1 }, 'UTC', new Set(['ctrl-1-3']));
    expect(verdicts.map((v) => [v.id, v.keep, v.why])).toEqual([
      ['ctrl-1-0', true, 'not verified yet'],
      ['ctrl-1-1', false, 'its verification failed'],
      ['ctrl-1-2', true, 'the newest of its month'],
      ['ctrl-1-3', true, 'the newest verified backup of ctrl-1'],
    ]);
  });

  it('keeps everything without a rule', () => {
    expect(kept(judgeRetention(month, NO_RETENTION, 'UTC', new Set()))).toHaveLength(40);
    expect(describeRetention(NO_RETENTION)).toBe('every archive is kept');
    expect(describeRetention({ keepLast: 7, keepDaily: 14, keepWeekly: null, keepMonthly: 6 })).toBe('keeps the last 7, 14 daily, 6 monthly per node (verified backups only)');
  });
});
