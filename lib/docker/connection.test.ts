import { describe, expect, it } from 'vitest';
import { parseEngineUrl } from './connection';

describe('parseEngineUrl', () => {
  it('reads unix sockets, with or without the scheme', () => {
    expect(parseEngineUrl('unix:///var/run/docker.sock')).toEqual({ kind: 'unix', socketPath: '/var/run/docker.sock' });
    expect(parseEngineUrl('/run/lifeboat-lab/ctrl-1/docker.sock')).toEqual({ kind: 'unix', socketPath: '/run/lifeboat-lab/ctrl-1/docker.sock' });
  });

  it('reads tcp and https URLs, defaulting to port 2376', () => {
    expect(parseEngineUrl('tcp://10.77.0.11:2376')).toEqual({ kind: 'tcp', host: '10.77.0.11', port: 2376 });
    expect(parseEngineUrl('https://ucp.example.com')).toEqual({ kind: 'tcp', host: 'ucp.example.com', port: 2376 });
    expect(parseEngineUrl('tcp://[::1]:2376')).toEqual({ kind: 'tcp', host: '::1', port: 2376 });
  });

  it('refuses what it cannot reach, saying what to write instead', () => {
    expect(() => parseEngineUrl('ssh://host')).toThrow(/unsupported scheme "ssh:".*unix:\/\/ or tcp:\/\//);
    expect(() => parseEngineUrl('not a url')).toThrow(/is not an engine URL/);
    expect(() => parseEngineUrl('unix://')).toThrow(/names no socket path/);
  });
});
