/**
 * Only a path on this site: never an open redirect. `//host`, `/\host` and the like resolve elsewhere,
 * and so does a path that only becomes `//host` once normalised (`/.//host`, `/..//host`, `/%2e//host`):
 * the normalised path is what the browser is sent to, so it is what is checked.
 */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/') || /[\\\u0000-\u001f]/.test(next)) return '/';
  const base = 'http://lifeboat.invalid';
  const resolved = new URL(next, base);
  const path = resolved.pathname + resolved.search;
  return resolved.origin === base && !path.startsWith('//') ? path : '/';
}
