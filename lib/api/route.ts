import 'server-only';
import type { NextRequest } from 'next/server';
import { ZodError } from 'zod';
import { authorize, type Permission } from '@/lib/auth/permissions';
import { recordAudit } from '@/lib/audit/audit-log';
import { requestAddress } from '@/lib/auth/client-address';
import { LifeboatError, messageOf } from '@/lib/errors';
import { authenticate, type Principal } from './authenticate';

type Handler<Params> = (request: NextRequest, context: { params: Params; principal: Principal }) => Promise<Response>;

/**
 * Wraps a /api route handler: authentication, then the permission the route needs (403 without it), and
 * every error as `{ error: { code, message } }`.
 */
export function apiRoute<Params = Record<string, never>>(permission: Permission, handler: Handler<Params>) {
  return async (request: NextRequest, context: { params: Promise<Params> }) => {
    let principal: Principal | null = null;
    try {
      principal = await authenticate(request);
      authorize(principal, permission);
      const response = await handler(request, { params: await context.params, principal });
      await audit(request, permission, principal, response.status, response.status >= 400 ? `answered ${response.status}` : null);
      return response;
    } catch (error) {
      const response = errorResponse(error);
      // Only what the caller was told: an unexpected error's own text stays in the server log.
      const told = error instanceof LifeboatError || error instanceof ZodError ? messageOf(error) : 'unexpected error: see the server log';
      if (principal) await audit(request, permission, principal, response.status, told);
      return response;
    }
  };
}

/** Every request that changes something or hands out an archive goes into the audit log, with how it ended. */
async function audit(request: NextRequest, permission: Permission, principal: Principal, status: number, detail: string | null) {
  if (request.method === 'GET' && permission !== 'download') return;
  await recordAudit({
    actor: `${principal.kind}:${principal.name}`,
    address: requestAddress(request),
    action: `${request.method} ${request.nextUrl.pathname}`,
    result: status < 400 ? 'ok' : [401, 403, 429].includes(status) ? 'refused' : 'failed',
    detail,
  });
}

function errorResponse(error: unknown): Response {
  if (error instanceof LifeboatError) {
    return Response.json({ error: { code: error.code, message: error.message } }, { status: error.status });
  }
  if (error instanceof ZodError) {
    const message = error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
    return Response.json({ error: { code: 'invalid_input', message } }, { status: 400 });
  }
  console.error('lifeboat: unexpected error in an API route', error);
  return Response.json({ error: { code: 'internal', message: 'internal error: see the server log' } }, { status: 500 });
}
