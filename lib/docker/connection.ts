import 'server-only';
import Docker from 'dockerode';
import { LifeboatError } from '@/lib/errors';

/** How to reach one Docker engine: a unix socket, or tcp with (usually) mutual TLS. */
export type EngineConnection = {
  name: string;
  url: string;
  ca?: string | null;
  cert?: string | null;
  key?: string | null;
};

export type ParsedEngineUrl = { kind: 'unix'; socketPath: string } | { kind: 'tcp'; host: string; port: number };

export function parseEngineUrl(raw: string): ParsedEngineUrl {
  const url = raw.trim();
  if (url.startsWith('/')) return { kind: 'unix', socketPath: url };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LifeboatError('invalid_input', `"${raw}" is not an engine URL: use unix:///path/docker.sock or tcp://host:2376`);
  }
  if (parsed.protocol === 'unix:') {
    if (!parsed.pathname || parsed.pathname === '/') throw new LifeboatError('invalid_input', `"${raw}" names no socket path`);
    return { kind: 'unix', socketPath: decodeURIComponent(parsed.pathname) };
  }
  if (parsed.protocol === 'tcp:' || parsed.protocol === 'https:') {
    if (!parsed.hostname) throw new LifeboatError('invalid_input', `"${raw}" names no host`);
    return { kind: 'tcp', host: parsed.hostname.replace(/^\[|\]$/g, ''), port: Number(parsed.port || 2376) };
  }
  throw new LifeboatError('invalid_input', `unsupported scheme "${parsed.protocol}" in "${raw}": use unix:// or tcp://`);
}

function usesTls(connection: EngineConnection) {
  return Boolean(connection.ca && connection.cert && connection.key);
}

export function dockerClient(connection: EngineConnection): Docker {
  const target = parseEngineUrl(connection.url);
  if (target.kind === 'unix') return new Docker({ socketPath: target.socketPath });
  if (!usesTls(connection)) return new Docker({ protocol: 'http', host: target.host, port: target.port });
  return new Docker({
    protocol: 'https',
    host: target.host,
    port: target.port,
    ca: connection.ca!,
    cert: connection.cert!,
    key: connection.key!,
  });
}
