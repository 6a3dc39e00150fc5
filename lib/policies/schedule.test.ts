import { describe, expect, it } from 'vitest';
import { DEFAULT_BUSINESS_HOURS, describeBusinessHours, dueRun, minutesOf, nextRuns, runsBetween, runsInBusinessHours, scheduleProblem, wallClock } from './schedule';

const berlin = (cron: string) => ({ cron, timeZone: 'Europe/Berlin' });
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('schedules', () => {
  it('reads five fields in the policy zone', () => {
    expect(iso(nextRuns(berlin('0 2 * * *'), 2, new Date('2027-01-10T12:00:00Z')))).toEqual(['2027-01-11T01:00:00.000Z', '2027-01-12T01:00:00.000Z']);
    expect(iso(nextRuns({ cron: '0 2 * * *', timeZone: 'UTC' }, 1, new Date('2027-01-10T12:00:00Z')))).toEqual(['2027-01-11T02:00:00.000Z']);
  });

  it('runs a time that spring skips once, and a time autumn repeats once (Europe/Berlin)', () => {
    // 2027-03-28: 02:00 becomes 03:00, so 02:30 does not exist that night.
    const spring = runsBetween(berlin('30 2 * * *'), new Date('2027-03-27T00:00:00Z'), new Date('2027-03-30T00:00:00Z'));
    expect(spring.map((d) => d.toISOString().slice(0, 10))).toEqual(['2027-03-27', '2027-03-28', '2027-03-29']);
    // 2027-10-31: 03:00 becomes 02:00 again, so 02:30 happens twice that night.
    const autumn = runsBetween(berlin('30 2 * * *'), new Date('2027-10-30T00:00:00Z'), new Date('2027-11-02T00:00:00Z'));
    expect(iso(autumn)).toEqual(['2027-10-30T00:30:00.000Z', '2027-10-31T00:30:00.000Z', '2027-11-01T01:30:00.000Z']);
  });

  it('keeps an interval to real time across a change (America/New_York)', () => {
    // 2027-11-07 01:00–02:00 happens twice: an hourly run at :00 runs each real hour, never twice at once.
    const hourly = runsBetween({ cron: '0 * * * *', timeZone: 'America/New_York' }, new Date('2027-11-07T03:30:00Z'), new Date('2027-11-07T08:30:00Z'));
    const gaps = hourly.slice(1).map((d, i) => d.getTime() - hourly[i].getTime());
    expect(new Set(gaps)).toEqual(new Set([3600_000]));
  });

  it('owes the newest due run, and says whether the earlier ones were missed', () => {
    const hourly = { cron: '0 * * * *', timeZone: 'UTC' };
    expect(dueRun(hourly, new Date('2027-01-01T10:00:00Z'), new Date('2027-01-01T10:59:00Z'), 60_000)).toBeNull();
    expect(dueRun(hourly, new Date('2027-01-01T10:00:00Z'), new Date('2027-01-01T11:00:20Z'), 60_000)).toEqual({
      scheduledFor: new Date('2027-01-01T11:00:00Z'),
      onTime: true,
      missedBefore: 0,
    });
    expect(dueRun(hourly, new Date('2027-01-01T10:00:00Z'), new Date('2027-01-01T14:30:00Z'), 60_000)).toEqual({
      scheduledFor: new Date('2027-01-01T14:00:00Z'),
      onTime: false,
      missedBefore: 3,
    });
  });

  it('refuses what is not a five-field cron in a known zone, field by field', () => {
    expect(scheduleProblem(berlin('0 2 * * *'))).toBeNull();
    expect(scheduleProblem({ cron: '0 2 * * *', timeZone: 'Mars/Olympus' })?.field).toBe('timeZone');
    expect(scheduleProblem(berlin('0 0 2 * * *'))?.message).toMatch(/five fields .* has 6/);
    expect(scheduleProblem(berlin('61 2 * * *'))?.field).toBe('cron');
    expect(scheduleProblem(berlin('0 0 31 2 *'))?.message).toMatch(/never runs/);
  });

  it('finds runs inside business hours in the policy zone', () => {
    const monday = new Date('2027-01-04T00:00:00Z');
    expect(runsInBusinessHours(berlin('0 2 * * *'), DEFAULT_BUSINESS_HOURS, monday)).toEqual([]);
    // Hours are read in the policy's own zone: 07:30 in UTC is before 08:00 there.
    expect(runsInBusinessHours({ cron: '30 7 * * *', timeZone: 'UTC' }, DEFAULT_BUSINESS_HOURS, monday)).toEqual([]);
    const berlinMornings = runsInBusinessHours(berlin('30 8 * * *'), DEFAULT_BUSINESS_HOURS, monday);
    expect(berlinMornings.map((d) => wallClock(d, 'Europe/Berlin').weekday)).toEqual([1, 2, 3, 4, 5]);
  });

  it('reads and writes business hours as people do', () => {
    expect(describeBusinessHours(DEFAULT_BUSINESS_HOURS)).toBe('Mon–Fri 08:00–18:00');
    expect(describeBusinessHours({ days: [6, 7], start: 0, end: 720 })).toBe('Sat, Sun 00:00–12:00');
    expect([minutesOf('08:00'), minutesOf('8:30'), minutesOf('24:00'), minutesOf('25:00'), minutesOf('noon')]).toEqual([480, 510, 1440, null, null]);
  });
});
