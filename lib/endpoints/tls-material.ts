import 'server-only';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { LifeboatError } from '@/lib/errors';

/** Checks that the PEM files parse and that cert.pem belongs to key.pem, with a message per file. */
export function checkTlsMaterial(ca: string, cert: string, key: string) {
  const parse = <T>(file: string, read: () => T) => {
    try {
      return read();
    } catch {
      throw new LifeboatError('invalid_input', `${file} cannot be read as PEM`);
    }
  };
  parse('ca.pem', () => new X509Certificate(ca));
  const certificate = parse('cert.pem', () => new X509Certificate(cert));
  const privateKey = parse('key.pem', () => createPrivateKey(key));
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new LifeboatError('invalid_input', 'cert.pem does not belong to key.pem');
  }
}
