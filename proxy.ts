import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy, newNonce } from '@/lib/auth/content-security-policy';
import { SESSION_COOKIE } from '@/lib/auth/session-cookie';

/**
 * Every page: a fresh CSP nonce (Next.js reads it from the request's CSP header and puts it on its
 * scripts), and a first, cheap gate: no session cookie, no page but the login page. Pages, actions and
 * route handlers still verify the session themselves. /api is excluded: the proxy would buffer (and cut)
 * streamed uploads; its responses get a CSP of their own (next.config.ts).
 */
export function proxy(request: NextRequest) {
  const csp = contentSecurityPolicy(newNonce());
  const { pathname, search } = request.nextUrl;
  let response: NextResponse;
  if (pathname === '/login' || request.cookies.has(SESSION_COOKIE)) {
    const headers = new Headers(request.headers);
    headers.set('content-security-policy', csp);
    response = NextResponse.next({ request: { headers } });
  } else {
    const login = new URL('/login', request.url);
    if (pathname !== '/') login.searchParams.set('next', pathname + search);
    response = NextResponse.redirect(login);
  }
  response.headers.set('content-security-policy', csp);
  return response;
}

export const config = {
  matcher: ['/((?!api/|_next/static|_next/image|favicon.ico|favicon.svg|logo.svg|manifest.webmanifest).*)'],
};
