import 'server-only';
import { config } from '@/lib/config';

/**
 * Over HTTPS the cookie is Secure and `__Host-` prefixed: browsers then keep it only when it is Secure,
 * set by this host alone and for every path, so no sibling subdomain or plain-HTTP page can plant one.
 */
export const SESSION_COOKIE = config.https ? '__Host-lifeboat_session' : 'lifeboat_session';
