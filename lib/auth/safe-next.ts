/** Only a path on this site: never an open redirect (`//host`, `/\host` and the like resolve elsewhere). */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/') || /[\\\u0000-\u001f]/.test(next)) return '/';
  const base = 'http://lifeboat.invalid';
  const resolved = new URL(next, base);
  return resolved.origin === base ? resolved.pathname + resolved.search : '/';
}
