import { describe, expect, it } from 'vitest';
import { policyInputSchema } from './policy';

const KEY = 'A'.repeat(40);
const valid = { name: 'nightly', cron: '0 2 * * *', timeZone: 'Europe/Berlin', target: 'rotation', keys: [KEY.toLowerCase()] };

function problems(input: Record<string, unknown>) {
  const parsed = policyInputSchema.safeParse(input);
  return parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
}

describe('a policy as given', () => {
  it('takes a schedule, a target and keys, with business hours Monday to Friday 08:00–18:00 unless told', () => {
    expect(policyInputSchema.parse(valid)).toEqual({
      ...valid,
      keys: [KEY],
      node: null,
      scope: 'ucp',
      missedRuns: 'run-once',
      verify: true,
      retention: { keepLast: null, keepDaily: null, keepWeekly: null, keepMonthly: null },
      outageConsent: false,
      businessDays: [1, 2, 3, 4, 5],
      businessStart: 480,
      businessEnd: 1080,
      enabled: true,
    });
    expect(policyInputSchema.parse({ ...valid, businessDays: [7, 6, 6], businessStart: '22:00', businessEnd: '24:00' })).toMatchObject({
      businessDays: [6, 7],
      businessStart: 1320,
      businessEnd: 1440,
    });
  });

  it('says what is wrong, field by field', () => {
    expect(problems({ ...valid, keys: [] })).toEqual({ keys: 'choose at least one public key: a policy runs unattended and never holds a passphrase' });
    expect(problems({ ...valid, cron: '0 2 * *' })).toEqual({ cron: 'a cron expression has five fields (minute hour day-of-month month day-of-week); "0 2 * *" has 4' });
    expect(problems({ ...valid, timeZone: 'Berlin' })).toEqual({ timeZone: '"Berlin" is not a time zone: give an IANA name such as Europe/Berlin or UTC' });
    expect(problems({ ...valid, target: 'node' })).toEqual({ node: 'choose the node this policy backs up' });
    expect(problems({ ...valid, businessStart: '18:00', businessEnd: '08:00' })).toEqual({ businessEnd: 'business hours must end after they start' });
    expect(problems({ ...valid, businessStart: '8am' })).toEqual({ businessStart: 'give the start of business hours as HH:MM (00:00–24:00)' });
  });

  it('takes retention rules only with verification: they count verified backups', () => {
    expect(policyInputSchema.parse({ ...valid, keepLast: 7, keepMonthly: 6 }).retention).toEqual({ keepLast: 7, keepDaily: null, keepWeekly: null, keepMonthly: 6 });
    expect(problems({ ...valid, keepDaily: 0 })).toEqual({ keepDaily: 'keep at least 1 of the daily backups, or leave the rule out' });
    expect(problems({ ...valid, keepWeekly: 4, verify: false })).toEqual({ verify: 'retention keeps verified backups only: verify each archive too' });
  });

  it('never keeps a node for a target that is not one node', () => {
    expect(policyInputSchema.parse({ ...valid, target: 'all-controllers', node: 'ctrl-1' }).node).toBeNull();
  });
});
