import 'server-only';
import { headers } from 'next/headers';

/** Set by scripts/serve.mjs from the connection (or a trusted proxy's X-Forwarded-For); clients cannot forge it. */
export const CLIENT_ADDRESS_HEADER = 'x-lifeboat-client-address';

/** The address of the request being served (a page, a server action): for throttling and the audit log. */
export async function clientAddress(): Promise<string> {
  return (await headers()).get(CLIENT_ADDRESS_HEADER) ?? 'unknown';
}

export function requestAddress(request: Request): string {
  return request.headers.get(CLIENT_ADDRESS_HEADER) ?? 'unknown';
}
