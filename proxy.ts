import { NextResponse, type NextRequest } from 'next/server';

const SESSION_COOKIE = 'lifeboat_session';

/**
 * A first, cheap gate for pages: no session cookie, no page. Pages, actions and route handlers still
 * verify the session themselves. /api is excluded: the proxy would buffer (and cut) streamed uploads.
 */
export function proxy(request: NextRequest) {
  if (request.cookies.has(SESSION_COOKIE)) return NextResponse.next();
  const login = new URL('/login', request.url);
  const next = request.nextUrl.pathname + request.nextUrl.search;
  if (next !== '/') login.searchParams.set('next', next);
  return NextResponse.redirect(login);
}

export const config = {
  matcher: ['/((?!api/|login|_next/static|_next/image|favicon.ico).*)'],
};
