import { describe, expect, it } from 'vitest';
import { seal, unseal } from './sealed-box';

describe('sealed box (secrets at rest)', () => {
  it('round-trips, and the sealed text does not contain the secret', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMIIE…\n-----END PRIVATE KEY-----\n';
    const sealed = seal(key);
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain('PRIVATE KEY');
    expect(unseal(sealed)).toBe(key);
  });

  it('uses a fresh IV each time', () => {
    expect(seal('same')).not.toBe(seal('same'));
  });

  it('refuses a tampered ciphertext', () => {
    const [v, iv, tag, body] = seal('secret value').split(':');
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] ^= 1;
    expect(() => unseal([v, iv, tag, flipped.toString('base64url')].join(':'))).toThrow(/cannot decrypt a stored secret/);
  });
});
