import { strToU8, unzipSync, zipSync } from 'fflate';
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

  it('never inflates an entry it does not read (a zip bomb stays compressed): one whose data is not even deflate passes', () => {
    const zip = zipSync({
      'ca.pem': strToU8(pem('CERTIFICATE')),
      'cert.pem': strToU8(pem('CERTIFICATE')),
      'key.pem': strToU8(pem('PRIVATE KEY')),
      'bomb.bin': new Uint8Array(64 * 1024),
    });
    // The local header of bomb.bin is 30 bytes plus its name; its deflate data follows. 0xff: a reserved block type.
    const header = Buffer.from(zip).indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(zip).indexOf('bomb.bin') - 30);
    zip.fill(0xff, header + 30 + 'bomb.bin'.length, header + 30 + 'bomb.bin'.length + 8);
    expect(() => unzipSync(zip)).toThrow();
    expect(readClientBundle(zip).ca).toBe(pem('CERTIFICATE'));
  });

  it('refuses a PEM entry bigger than 64 KiB without inflating it', () => {
    const zip = zipSync({ 'ca.pem': new Uint8Array(8 * 1024 * 1024), 'cert.pem': strToU8('y'), 'key.pem': strToU8('z') });
    expect(() => readClientBundle(zip)).toThrow("the bundle's ca.pem is larger than 64 KiB");
  });
});
