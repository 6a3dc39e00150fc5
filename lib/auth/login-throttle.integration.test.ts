import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { ADDRESS_RULE } from './throttle-rules';
import { countSignInAttempt, signInSucceeded } from './login-throttle';

// The throttle in the test server's own database (the browser suite locks an account through the login page).
describe('sign-in throttle', () => {
  const address = () => `198.51.100.${randomBytes(1)[0]}-${randomBytes(4).toString('hex')}`;

  it('locks an address that tries many accounts, whatever the accounts', async () => {
    const from = address();
    for (let i = 0; i < ADDRESS_RULE.attempts; i++) expect(await countSignInAttempt(from, `someone-${i}-${from}`)).toBeNull();
    const refusal = await countSignInAttempt(from, `someone-else-${from}`);
    expect(refusal?.by).toBe('address');
    expect(refusal!.until.getTime() - Date.now()).toBeGreaterThan(ADDRESS_RULE.lockMs - 60_000);
    // Locked means locked, for a good account as well, from that address; another address is not.
    expect((await countSignInAttempt(from, 'admin'))?.by).toBe('address');
    expect(await countSignInAttempt(address(), `fresh-${from}`)).toBeNull();
  });

  it('counts parallel attempts one by one: none slips past the limit', async () => {
    const from = address();
    const results = await Promise.all(Array.from({ length: ADDRESS_RULE.attempts + 5 }, (_, i) => countSignInAttempt(from, `parallel-${i}-${from}`)));
    expect(results.filter((r) => r === null)).toHaveLength(ADDRESS_RULE.attempts);
    expect((await db.loginThrottle.findUnique({ where: { key: `address:${from}` } }))?.attempts).toBe(ADDRESS_RULE.attempts + 1);
  });

  it('gives a good sign-in its attempt back and starts the account over', async () => {
    const from = address();
    const account = `good-${from}`;
    await countSignInAttempt(from, account);
    await countSignInAttempt(from, account);
    await signInSucceeded(from, account);
    expect((await db.loginThrottle.findUnique({ where: { key: `address:${from}` } }))?.attempts).toBe(1);
    expect(await db.loginThrottle.findUnique({ where: { key: `account:${account}` } })).toBeNull();
  });
});
