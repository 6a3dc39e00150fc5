// What every request passes before Next.js sees it: the Host allow-list, the client's address as Lifeboat
// records it, transport headers, and a deadline for receiving the request.

export const CLIENT_ADDRESS_HEADER = 'x-lifeboat-client-address';

// Archive uploads may take hours: they are exempt from the receive deadline once signed in (the app
// then cuts an upload that stalls: lib/archive/upload-limits.ts).
const UPLOAD_ROUTES = new Set(['/api/v1/uploads', '/api/v1/restores']);

/** False (and answered 421) when the Host header is not one this server is reached by. */
export function hostAllowed(req, res, options) {
  const host = (req.headers.host ?? '').toLowerCase();
  if (options.allowedHosts.has(host)) return true;
  res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
  res.end(`lifeboat answers to ${options.publicUrl.host} only (LIFEBOAT_PUBLIC_URL); this request was for ${JSON.stringify(host)}\n`);
  return false;
}

/**
 * False (and answered 400) for a path whose %-encoding is malformed: Next.js would answer it with a 500
 * before any page or route could check the session.
 */
export function pathWellFormed(req, res) {
  try {
    decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    return true;
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('malformed %-encoding in the URL\n');
    return false;
  }
}

/**
 * The address that logins, throttling and the audit log see; a client cannot set it. Without a trusted
 * proxy in front, no X-Forwarded-* header is believed (Next.js would take X-Forwarded-Host for the host
 * a server action's Origin must match).
 */
export function stampClientAddress(req, options) {
  if (!options.trustProxy) for (const name of ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto']) delete req.headers[name];
  let address = req.socket.remoteAddress ?? 'unknown';
  const forwarded = req.headers['x-forwarded-for'];
  if (options.trustProxy && typeof forwarded === 'string') address = forwarded.split(',').pop().trim() || address;
  req.headers[CLIENT_ADDRESS_HEADER] = address.replace(/^::ffff:/, '');
}

export function transportHeaders(res, options) {
  if (options.https) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
}

/**
 * A request (headers and body) must be received within `receiveTimeoutMs`: a client that trickles its
 * body would otherwise hold a connection (and a handler) for ever. Whatever the handler did with it (an
 * early 401 included), a request still arriving at the deadline has its connection cut.
 */
export async function receiveDeadline(req, options, signedIn) {
  if (req.method === 'POST' && UPLOAD_ROUTES.has(new URL(req.url, 'http://x').pathname) && (await signedIn(req))) return;
  setTimeout(() => req.complete || req.socket.destroy(), options.receiveTimeoutMs).unref();
}
