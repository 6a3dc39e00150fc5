import 'server-only';
import { db } from '@/lib/db';
import { parseEngineUrl, type EngineConnection } from '@/lib/docker/connection';
import { Engine } from '@/lib/docker/engine';
import { LifeboatError, messageOf } from '@/lib/errors';
import { seal, unseal } from '@/lib/secrets/sealed-box';
import type { EngineIdentity, NodeRole } from '@/lib/cluster/types';
import type { EndpointInput } from '@/lib/validations/endpoint';
import { checkTlsMaterial } from './tls-material';

export type EndpointConnection = EngineConnection & { id: string; lastKnown: EngineIdentity | null };

export type EndpointView = {
  id: string;
  name: string;
  url: string;
  tls: boolean;
  plainTcp: boolean;
  origin: string;
  createdAt: Date;
  lastTest: { at: Date; ok: boolean; message: string } | null;
};

export async function listEndpoints(): Promise<EndpointView[]> {
  const rows = await db.endpoint.findMany({ orderBy: { name: 'asc' } });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    url: r.url,
    tls: Boolean(r.keySealed),
    plainTcp: r.plainTcp,
    origin: r.origin,
    createdAt: r.createdAt,
    lastTest: r.lastTestAt ? { at: r.lastTestAt, ok: r.lastTestOk === true, message: r.lastTestMessage ?? '' } : null,
  }));
}

/** Every endpoint with its key decrypted, ready to connect. */
export async function endpointConnections(): Promise<EndpointConnection[]> {
  const rows = await db.endpoint.findMany({ orderBy: { name: 'asc' } });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    url: r.url,
    ca: r.caPem,
    cert: r.certPem,
    key: r.keySealed ? unseal(r.keySealed) : null,
    lastKnown: r.lastHostname ? { hostname: r.lastHostname, nodeId: r.lastNodeId, role: (r.lastRole ?? 'unknown') as NodeRole } : null,
  }));
}

/** Remembers who the engine said it is, for the moments when `docker info` cannot answer. */
export async function rememberIdentity(endpoint: EndpointConnection, identity: EngineIdentity) {
  const known = endpoint.lastKnown;
  if (known?.hostname === identity.hostname && known.nodeId === identity.nodeId && known.role === identity.role) return;
  await db.endpoint.updateMany({
    where: { id: endpoint.id },
    data: { lastHostname: identity.hostname, lastNodeId: identity.nodeId, lastRole: identity.role },
  });
}

export async function endpointConnection(id: string): Promise<EndpointConnection> {
  const found = (await endpointConnections()).find((c) => c.id === id);
  if (!found) throw new LifeboatError('not_found', 'no such endpoint');
  return found;
}

function checkEndpoint(input: EndpointInput) {
  const target = parseEngineUrl(input.url);
  const tls = Boolean(input.ca && input.cert && input.key);
  if (tls) checkTlsMaterial(input.ca!, input.cert!, input.key!);
  if (target.kind === 'tcp' && !tls && !input.allowPlainTcp) {
    throw new LifeboatError(
      'invalid_input',
      `${input.url} without TLS would send the cluster's keys and every archive across the network in clear: give ca.pem, cert.pem and key.pem (or the client bundle), or tick "allow plain TCP"`,
    );
  }
}

export async function addEndpoint(input: EndpointInput, origin: 'user' | 'lab' = 'user') {
  checkEndpoint(input);
  if (await db.endpoint.findUnique({ where: { name: input.name } })) {
    throw new LifeboatError('conflict', `an endpoint named "${input.name}" already exists`);
  }
  return db.endpoint.create({ data: toRow(input, origin), select: { id: true, name: true } });
}

/**
 * Replaces an endpoint's name, URL and (when new ones are given) TLS material; without new files its
 * certificates and key stay. Checked as a new one is, and its last test forgotten: it is another engine now.
 */
export async function updateEndpoint(id: string, input: EndpointInput) {
  const current = await db.endpoint.findUnique({ where: { id } });
  if (!current) throw new LifeboatError('not_found', 'no such endpoint');
  const keepTls = !input.key && Boolean(current.keySealed);
  const merged: EndpointInput = keepTls ? { ...input, ca: current.caPem ?? undefined, cert: current.certPem ?? undefined, key: unseal(current.keySealed!) } : input;
  checkEndpoint(merged);
  const clash = await db.endpoint.findUnique({ where: { name: merged.name } });
  if (clash && clash.id !== id) throw new LifeboatError('conflict', `an endpoint named "${merged.name}" already exists`);
  await db.endpoint.update({
    where: { id },
    // Edited by hand, a lab endpoint is the user's from now on: the demo no longer rewrites it.
    data: { ...toRow(merged, 'user'), lastHostname: null, lastNodeId: null, lastRole: null, lastTestAt: null, lastTestOk: null, lastTestMessage: null },
  });
  return merged;
}

/** What the last connection test said, for the Settings page's badge. */
export async function recordTest(id: string, probe: { ok: boolean; message: string }) {
  await db.endpoint.updateMany({ where: { id }, data: { lastTestAt: new Date(), lastTestOk: probe.ok, lastTestMessage: probe.message } });
}

/** Used by the demo and the tests: makes the lab's endpoints exactly `inputs`, leaving users' endpoints alone. */
export async function replaceLabEndpoints(inputs: EndpointInput[]) {
  inputs.forEach(checkEndpoint);
  await db.$transaction([
    db.endpoint.deleteMany({ where: { origin: 'lab', name: { notIn: inputs.map((i) => i.name) } } }),
    ...inputs.map((input) => db.endpoint.upsert({ where: { name: input.name }, create: toRow(input, 'lab'), update: toRow(input, 'lab') })),
  ]);
}

export async function removeEndpoint(id: string) {
  await db.endpoint.deleteMany({ where: { id } });
}

export async function countEndpoints(origin?: 'user' | 'lab') {
  return db.endpoint.count({ where: origin ? { origin } : {} });
}

/** Connects once and says what answered: "ctrl-1, Docker 20.10.24, swarm manager". */
export async function testConnection(connection: EngineConnection): Promise<{ ok: boolean; message: string }> {
  try {
    const info = await Engine.connect(connection).info();
    const role = info.swarm.isManager ? 'swarm manager' : info.swarm.localState === 'active' ? 'swarm worker' : 'not in a swarm';
    return { ok: true, message: `${info.hostname}, Docker ${info.serverVersion}, ${role}` };
  } catch (error) {
    return { ok: false, message: messageOf(error) };
  }
}

function toRow(input: EndpointInput, origin: 'user' | 'lab') {
  return {
    name: input.name,
    url: input.url,
    caPem: input.ca ?? null,
    certPem: input.cert ?? null,
    keySealed: input.key ? seal(input.key) : null,
    plainTcp: parseEngineUrl(input.url).kind === 'tcp' && !input.key,
    origin,
  };
}
