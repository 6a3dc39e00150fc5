import { describe, expect, it } from 'vitest';
import { expectedOutageMs } from './outage-estimate';

const past = { downtimeMs: 4000, plainBytes: 10_000_000, startedAt: new Date('2026-12-01T02:00:00Z') };

describe('expectedOutageMs', () => {
  it('has nothing to say without a past backup', () => {
    expect(expectedOutageMs(5_000_000, null)).toBeNull();
  });

  it('promises no less than the last outage for a smaller backup: stopping and starting cost the same', () => {
    expect(expectedOutageMs(1_000, past)).toBe(4000);
  });

  it('grows in proportion for volumes that hold more than last time', () => {
    expect(expectedOutageMs(25_000_000, past)).toBe(10_000);
  });

  it('takes the last outage as it was when that backup held nothing', () => {
    expect(expectedOutageMs(25_000_000, { ...past, plainBytes: 0 })).toBe(4000);
  });
});
