import 'server-only';
import type { NextRequest } from 'next/server';
import { ZodError } from 'zod';
import { LifeboatError } from '@/lib/errors';
import { authenticate, type Principal } from './authenticate';

type Handler<Params> = (request: NextRequest, context: { params: Params; principal: Principal }) => Promise<Response>;

/** Wraps a /api route handler: authentication first, and every error as `{ error: { code, message } }`. */
export function apiRoute<Params = Record<string, never>>(handler: Handler<Params>) {
  return async (request: NextRequest, context: { params: Promise<Params> }) => {
    try {
      const principal = await authenticate(request);
      return await handler(request, { params: await context.params, principal });
    } catch (error) {
      return errorResponse(error);
    }
  };
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
