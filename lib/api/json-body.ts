import 'server-only';
import { LifeboatError } from '@/lib/errors';

/** The request's JSON body; anything else is refused with what the route expects (`shape`). */
export async function jsonBody(request: Request, shape = '{ … }'): Promise<unknown> {
  return request.json().catch(() => {
    throw new LifeboatError('invalid_input', `the body must be JSON: ${shape}`);
  });
}
