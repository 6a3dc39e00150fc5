import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { labNode, labStatus } from '@/e2e/support/lab';
import { testConnection } from './endpoint-store';

const read = (file: string) => fs.readFileSync(file, 'utf8');

describe('connecting to a lab engine', () => {
  it('works over its unix socket', async () => {
    const result = await testConnection({ name: 'ctrl-1', url: `unix://${labNode('ctrl-1').socket}` });
    expect(result).toEqual({ ok: true, message: expect.stringMatching(/^ctrl-1, Docker 20\.10\.\S+, swarm manager$/) });
  });

  it('works over tcp with mutual TLS, as a worker', async () => {
    const node = labNode('worker-1');
    const result = await testConnection({ name: 'worker-1', url: node.tcpUrl, ca: read(node.tls.ca), cert: read(node.tls.cert), key: read(node.tls.key) });
    expect(result).toEqual({ ok: true, message: expect.stringMatching(/^worker-1, Docker .*, swarm worker$/) });
  });

  it("is refused, with a clear message, when the client certificate is not from the engine's CA", async () => {
    const node = labNode('ctrl-2');
    const rogue = labStatus().rogueTls;
    const result = await testConnection({ name: 'ctrl-2', url: node.tcpUrl, ca: read(node.tls.ca), cert: read(rogue.cert), key: read(rogue.key) });
    expect(result).toEqual({
      ok: false,
      message: "ctrl-2: info: TLS: the engine refused Lifeboat's client certificate (cert.pem/key.pem were not issued by the engine's CA)",
    });
  });

  it("is refused when the engine's certificate is not signed by the CA given", async () => {
    const node = labNode('ctrl-2');
    const result = await testConnection({
      name: 'ctrl-2',
      url: node.tcpUrl,
      ca: read(labStatus().untrustedCa),
      cert: read(node.tls.cert),
      key: read(node.tls.key),
    });
    expect(result).toEqual({ ok: false, message: "ctrl-2: info: TLS: the engine's certificate is not signed by the CA given (ca.pem)" });
  });

  it('says so when nothing listens there', async () => {
    const result = await testConnection({ name: 'gone', url: 'unix:///run/lifeboat-lab/no-such.sock' });
    expect(result).toEqual({ ok: false, message: 'gone: info: socket not found: the engine is not running or the path is wrong' });
  });
});
