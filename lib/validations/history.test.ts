import { describe, expect, it } from 'vitest';
import { historyParams, historyQuery } from './history';

describe('historyQuery', () => {
  it('reads UTC days, both ends included by the caller', () => {
    expect(historyQuery.parse({ from: '2026-12-01', to: '2026-12-03' })).toEqual({ from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-03T00:00:00Z') });
  });

  it.each(['2026-13-01', '2026-02-31', 'yesterday', '2026-1-1'])('refuses %s, a day not in the calendar or not written YYYY-MM-DD', (day) => {
    const parsed = historyQuery.safeParse({ from: day });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].message).toBe('is not a date (YYYY-MM-DD)');
  });

  it('drops empty form fields, so that an empty filter is no filter', () => {
    expect(historyQuery.parse(historyParams({ node: '', q: '  ', status: 'failed', sort: undefined }))).toEqual({ status: 'failed' });
  });
});
