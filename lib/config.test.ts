import { afterEach, describe, expect, it } from 'vitest';
import { helperImageOverride } from './config';

describe('LIFEBOAT_HELPER_IMAGE', () => {
  afterEach(() => {
    delete process.env.LIFEBOAT_HELPER_IMAGE;
  });

  it('is unset by default, and empty means unset', () => {
    expect(helperImageOverride()).toBeUndefined();
    process.env.LIFEBOAT_HELPER_IMAGE = '';
    expect(helperImageOverride()).toBeUndefined();
  });

  it('takes an image reference or an image ID', () => {
    for (const ref of ['busybox', 'registry.example.com:5000/team/helper:1.2', `busybox@sha256:${'a'.repeat(64)}`, `sha256:${'b'.repeat(64)}`]) {
      process.env.LIFEBOAT_HELPER_IMAGE = ref;
      expect(helperImageOverride()).toBe(ref);
    }
  });

  it('refuses anything that could reach another API path or query', () => {
    for (const ref of ['../../containers/x', 'busybox?x=1', 'a b', '/busybox', 'busybox#1']) {
      process.env.LIFEBOAT_HELPER_IMAGE = ref;
      expect(() => helperImageOverride(), ref).toThrow(/must be an image reference/);
    }
  });
});
