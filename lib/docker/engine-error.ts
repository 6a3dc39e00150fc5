import 'server-only';
import { LifeboatError } from '@/lib/errors';

type SystemError = Error & { code?: string; statusCode?: number; json?: { message?: string } };

/** Turns what dockerode, Node's sockets and TLS throw into a sentence an operator can act on. */
export function describeEngineError(error: unknown, timeoutMs: number): string {
  const e = error as SystemError;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.code === 'ABORT_ERR') {
    return `did not answer within ${timeoutMs} ms`;
  }
  const message = String(e?.message ?? e);
  switch (e?.code) {
    case 'ECONNREFUSED':
      return 'connection refused: the engine is not running or not listening there';
    case 'ENOENT':
      return 'socket not found: the engine is not running or the path is wrong';
    case 'EACCES':
      return 'permission denied on the socket';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'ETIMEDOUT':
      return 'connection timed out';
    case 'ECONNRESET':
      return 'the engine closed the connection';
    case 'ENOTFOUND':
      return 'host name not found';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return "TLS: the engine's certificate is not signed by the CA given (ca.pem)";
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return "TLS: the engine's certificate does not name this host";
    case 'CERT_HAS_EXPIRED':
      return "TLS: the engine's certificate has expired";
  }
  if (/alert (bad certificate|unknown ca|certificate required)|SSLV3_ALERT_BAD_CERTIFICATE|TLSV1_ALERT_UNKNOWN_CA|TLSV13_ALERT_CERTIFICATE_REQUIRED/i.test(message)) {
    return "TLS: the engine refused Lifeboat's client certificate (cert.pem/key.pem were not issued by the engine's CA)";
  }
  if (/wrong version number|WRONG_VERSION_NUMBER|packet length too long/i.test(message)) {
    return 'TLS: the engine does not speak TLS on this port (or speaks only TLS: check the scheme)';
  }
  if (e?.statusCode) return e.json?.message ?? message.replace(/^\(HTTP code \d+\)\s*/, '');
  return message;
}

export function engineError(engineName: string, what: string, error: unknown, timeoutMs: number) {
  return new LifeboatError('engine_unavailable', `${engineName}: ${what}: ${describeEngineError(error, timeoutMs)}`);
}
