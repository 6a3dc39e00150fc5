import { describe, expect, it } from 'vitest';
import { endpointInputSchema } from './endpoint';

describe('endpointInputSchema', () => {
  it('accepts a unix socket without TLS', () => {
    expect(endpointInputSchema.parse({ name: 'local', url: 'unix:///var/run/docker.sock', ca: '', cert: '', key: '' })).toEqual({
      name: 'local',
      url: 'unix:///var/run/docker.sock',
    });
  });

  it('wants all three TLS files or none', () => {
    const result = endpointInputSchema.safeParse({ name: 'a', url: 'tcp://h:2376', ca: '-----BEGIN CERTIFICATE-----' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe('TLS needs all three files: ca.pem, cert.pem and key.pem');
  });

  it('says which file is not PEM', () => {
    const result = endpointInputSchema.safeParse({ name: 'a', url: 'tcp://h:2376', ca: 'x', cert: 'y', key: 'z' });
    expect(result.error?.issues.map((i) => i.message)).toContain('ca.pem is not PEM text (it should start with -----BEGIN …)');
  });

  it('refuses names that would not read well in a URL', () => {
    expect(endpointInputSchema.safeParse({ name: 'ctrl 1', url: 'tcp://h' }).success).toBe(false);
  });
});
