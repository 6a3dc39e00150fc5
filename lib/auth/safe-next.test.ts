import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next';

describe('safeNext', () => {
  it('keeps a path on this site, with its query', () => {
    expect(safeNext('/backups?node=ctrl-1')).toBe('/backups?node=ctrl-1');
  });

  it.each(['//evil.example', '/\\evil.example', 'https://evil.example', '/\tevil', 'backups', undefined, '/.//evil.example/phish', '/..//x', '/%2e//x', '/%2E%2E//x'])(
    'sends %s home',
    (next) => {
      expect(safeNext(next)).toBe('/');
    },
  );
});
