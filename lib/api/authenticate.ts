import 'server-only';
import type { IncomingMessage } from 'node:http';
import { NextRequest } from 'next/server';
import { tokenForBearer } from '@/lib/auth/api-tokens';
import type { Role, Scope } from '@/lib/auth/permissions';
import { userForSessionToken } from '@/lib/auth/session';
import { SESSION_COOKIE } from '@/lib/auth/session-cookie';
import { LifeboatError } from '@/lib/errors';

/** Who is asking: a signed-in user (with a role) or an API token (with scopes); either is a Grantee. */
export type Principal = { kind: 'user'; id: string; name: string; role: Role } | { kind: 'token'; id: string; name: string; scopes: Scope[] };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A bearer token, or the browser's session cookie (then a state change must come from our own origin). */
export async function authenticate(request: NextRequest): Promise<Principal> {
  const authorization = request.headers.get('authorization');
  if (authorization) {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    const found = token ? await tokenForBearer(token) : null;
    if (!found) throw new LifeboatError('unauthorized', 'the API token is invalid or was revoked');
    return { kind: 'token', ...found };
  }
  const user = await userForSessionToken(request.cookies.get(SESSION_COOKIE)?.value);
  if (!user) throw new LifeboatError('unauthorized', 'sign in, or send Authorization: Bearer <token>');
  if (!SAFE_METHODS.has(request.method)) checkSameOrigin(request);
  return { kind: 'user', id: user.id, name: user.username, role: user.role };
}

function checkSameOrigin(request: NextRequest) {
  const origin = request.headers.get('origin');
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  let originHost: string | null = null;
  try {
    originHost = origin ? new URL(origin).host : null;
  } catch {
    originHost = null;
  }
  if (!originHost || originHost !== host) {
    throw new LifeboatError('forbidden', 'cross-origin request refused: the Origin header does not match this server');
  }
}

/**
 * For scripts/serve.mjs, before Next.js sees the request: does this raw request carry a valid token, or a
 * session cookie from our own origin? (An archive upload then gets an idle timeout instead of a deadline.)
 */
export async function rawRequestSignedIn(req: IncomingMessage): Promise<boolean> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
  }
  const request = new NextRequest(new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`), { method: req.method, headers });
  return authenticate(request).then(
    () => true,
    () => false,
  );
}
