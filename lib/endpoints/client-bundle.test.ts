import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readClientBundle } from './client-bundle';

const pem = (label: string) => `-----BEGIN ${label}-----\nAAAA\n-----END ${label}-----\n`;

describe('readClientBundle', () => {
  it('reads the PEM files and DOCKER_HOST from a UCP-style bundle, in a subfolder too', () => {
    const zip = zipSync({
      'ucp-bundle-admin/ca.pem': strToU8(pem('CERTIFICATE')),
      'ucp-bundle-admin/cert.pem': strToU8(pem('CERTIFICATE')),
      'ucp-bundle-admin/key.pem': strToU8(pem('PRIVATE KEY')),
      'ucp-bundle-admin/env.sh': strToU8('export DOCKER_TLS_VERIFY=1\nexport DOCKER_HOST=tcp://10.77.0.11:2376\n'),
    });
    expect(readClientBundle(zip)).toEqual({
      ca: pem('CERTIFICATE'),
      cert: pem('CERTIFICATE'),
      key: pem('PRIVATE KEY'),
      url: 'tcp://10.77.0.11:2376',
    });
  });

  it('names the file that is missing', () => {
    const zip = zipSync({ 'ca.pem': strToU8('x'), 'cert.pem': strToU8('y') });
    expect(() => readClientBundle(zip)).toThrow('the bundle has no key.pem');
  });

  it('refuses something that is not a zip', () => {
    expect(() => readClientBundle(strToU8('hello'))).toThrow('the bundle is not a zip file');
  });
});
