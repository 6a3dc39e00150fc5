import { describe, expect, it } from 'vitest';
import { can, parseScopes, refusalFor, type Permission } from './permissions';

const everything: Permission[] = ['read', 'backup', 'verify', 'download', 'restore', 'run-policy', 'manage'];
const allowed = (grantee: Parameters<typeof can>[0]) => everything.filter((p) => can(grantee, p));

describe('permissions', () => {
  it('gives each role what issue 11 lists', () => {
    expect(allowed({ kind: 'user', role: 'admin' })).toEqual(everything);
    expect(allowed({ kind: 'user', role: 'operator' })).toEqual(['read', 'backup', 'verify', 'download', 'restore', 'run-policy']);
    expect(allowed({ kind: 'user', role: 'viewer' })).toEqual(['read']);
  });

  it('gives each token scope its own, and several scopes their union', () => {
    expect(allowed({ kind: 'token', scopes: ['read'] })).toEqual(['read']);
    expect(allowed({ kind: 'token', scopes: ['backup'] })).toEqual(['read', 'backup', 'verify', 'download']);
    expect(allowed({ kind: 'token', scopes: ['restore'] })).toEqual(['read', 'verify', 'restore']);
    expect(allowed({ kind: 'token', scopes: ['backup', 'restore'] })).toEqual(['read', 'backup', 'verify', 'download', 'restore']);
    expect(allowed({ kind: 'token', scopes: ['admin'] })).toEqual(everything);
    expect(allowed({ kind: 'token', scopes: [] })).toEqual([]);
  });

  it('says why not, in words', () => {
    expect(refusalFor({ kind: 'user', role: 'viewer' }, 'download')).toBe('a viewer cannot download archives');
    expect(refusalFor({ kind: 'user', role: 'operator' }, 'manage')).toBe('an operator cannot change users, endpoints, settings, keys or policies, or delete archives');
    expect(refusalFor({ kind: 'token', scopes: ['read'] }, 'backup')).toBe("this token's scopes (read) do not allow it to back up");
  });

  it('reads stored scopes, dropping unknown words', () => {
    expect(parseScopes('read,backup,root')).toEqual(['read', 'backup']);
  });
});
