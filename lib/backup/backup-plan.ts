import 'server-only';
import { freeBytes, inMegabytes, ROOM_MARGIN_BYTES } from '@/lib/archive/archive-store';
import { discoverCluster, engineForNode, findNode } from '@/lib/cluster/discovery';
import { controllerStates } from '@/lib/cluster/merge';
import type { ClusterNode, ClusterOverview } from '@/lib/cluster/types';
import { isUcpContainer, isUcpVolume, ROOT_CA_VOLUMES, UCP_VERSION_LABEL } from '@/lib/cluster/ucp';
import type { ContainerSummary, Engine } from '@/lib/docker/engine';
import { helperImageId } from '@/lib/docker/helper-image';
import { LifeboatError } from '@/lib/errors';
import type { ContainerRef } from '@/lib/history/backup-history';
import type { ControllerState } from '@/lib/jobs/quorum-guard';
import type { EncryptedTo } from '@/lib/keys/key-facts';
import { recipientKeys } from '@/lib/keys/public-keys';
import { containersToStop, stopsControlPlane } from '@/lib/jobs/stop-scope';
import type { BackupRequestInput } from '@/lib/validations/backup';

export type BackupPlan = {
  node: ClusterNode;
  engine: Engine;
  volumes: string[];
  scope: 'ucp' | 'root-ca' | 'custom';
  stopUserContainers: boolean;
  /** Running containers to stop for a consistent copy (lib/jobs/stop-scope.ts): what mounts the volumes, all of UCP's for a UCP volume; users' only when asked. */
  containersToStop: ContainerRef[];
  /** UCP's containers, running or not, and the users' it stops: their `docker inspect` goes in the archive. */
  containersToDescribe: ContainerRef[];
  ucpVersion: string | null;
  engineVersion: string | null;
  expectedBytes: number;
  stopsControlPlane: boolean;
  /** The controllers as discovered: the quorum guard weighs them against every job's reservation. */
  controllers: ControllerState[];
  /** The public keys the archive is encrypted to (armored; each usable now), beside the order's passphrase, if any. */
  publicKeys: string[];
  encryptedTo: EncryptedTo;
};

/**
 * Every check a backup must pass before anything stops, but for the leases (the node, the quorum),
 * which the job takes when it starts. Throws a LifeboatError that says what to change.
 */
export async function planBackup(request: BackupRequestInput, overview?: ClusterOverview): Promise<BackupPlan> {
  const cluster = overview ?? (await discoverCluster());
  const node = await findNode(request.node, cluster);
  if (!node.reachable) throw new LifeboatError('engine_unavailable', `${node.hostname} does not answer: ${node.engineError}`);
  const engine = await engineForNode(node);
  const [volumes, containers, sizes] = await Promise.all([engine.volumes(), engine.containers(), engine.volumeSizes()]);
  const names = new Set(volumes.map((v) => v.name));

  const { selected, scope } = selectVolumes(node, names, request);
  const recipients = await recipientKeys(request.keys ?? []);

  const expectedBytes = selected.reduce((sum, v) => sum + (sizes.get(v) ?? 0), 0);
  const free = await freeBytes();
  // Room for the spool and the archive, each about the volumes' size, plus a margin.
  if (free < 2 * expectedBytes + ROOM_MARGIN_BYTES) {
    throw new LifeboatError(
      'no_room',
      `the archive store has ${inMegabytes(free)} free; this backup needs about ${inMegabytes(2 * expectedBytes + ROOM_MARGIN_BYTES)} (the volumes hold ${inMegabytes(expectedBytes)}): free some space or delete old archives`,
    );
  }

  // Last, once the rest holds: it may load Lifeboat's helper image into the engine.
  await helperImageId(engine);

  return {
    node,
    engine,
    volumes: selected,
    scope,
    stopUserContainers: Boolean(request.stopUserContainers),
    ...stopsOf(containers, node, selected, Boolean(request.stopUserContainers)),
    ucpVersion: containers.find((c) => isUcpContainer(c) && c.labels[UCP_VERSION_LABEL])?.labels[UCP_VERSION_LABEL] ?? null,
    engineVersion: node.engineVersion,
    expectedBytes,
    controllers: controllerStates(cluster),
    publicKeys: recipients.armored,
    encryptedTo: { passphrase: Boolean(request.passphrase), keys: recipients.keys },
  };
}

/**
 * The plan's stops again, from the node's containers as they are now. A plan is made before the job
 * holds the node: another job may have had UCP stopped then and started it since, and what runs now
 * must stop for the copy to be consistent.
 */
export async function replanStops(plan: BackupPlan): Promise<BackupPlan> {
  return { ...plan, ...stopsOf(await plan.engine.containers(), plan.node, plan.volumes, plan.stopUserContainers) };
}

function stopsOf(containers: ContainerSummary[], node: ClusterNode, selected: string[], stopUserContainers: boolean) {
  const stopped = containersToStop(containers, selected, { users: stopUserContainers });
  const ucpAll = containers.filter(isUcpContainer).map(toRef);
  return {
    containersToStop: stopped.map(toRef),
    containersToDescribe: [...ucpAll, ...stopped.filter((c) => !isUcpContainer(c)).map(toRef)],
    stopsControlPlane: stopsControlPlane(node.role, stopped),
  };
}

/** Which volumes a request means on this node; throws when it means none. */
export function selectVolumes(node: Pick<ClusterNode, 'hostname' | 'role'>, onNode: Set<string>, request: Pick<BackupRequestInput, 'volumes' | 'rootCaOnly'>) {
  if (request.volumes?.length) {
    const missing = request.volumes.filter((v) => !onNode.has(v));
    if (missing.length) throw new LifeboatError('invalid_input', `${node.hostname} has no volume ${missing.join(', ')}`);
    return { selected: [...new Set(request.volumes)], scope: 'custom' as const };
  }
  if (node.role === 'worker') {
    throw new LifeboatError('invalid_input', `${node.hostname} is a worker: stateless, nothing to back up (choose volumes to back up anyway)`);
  }
  if (request.rootCaOnly) {
    const present: string[] = ROOT_CA_VOLUMES.filter((v) => onNode.has(v));
    if (present.length === 0) throw new LifeboatError('invalid_input', `${node.hostname} has no root CA volumes (${ROOT_CA_VOLUMES.join(', ')})`);
    return { selected: present, scope: 'root-ca' as const };
  }
  const ucp = [...onNode].filter(isUcpVolume).sort();
  if (ucp.length === 0) throw new LifeboatError('invalid_input', `${node.hostname} has no UCP volumes: is UCP installed on it?`);
  return { selected: ucp, scope: 'ucp' as const };
}

function toRef(c: ContainerSummary): ContainerRef {
  return { id: c.id, name: c.name };
}

/** ucp-backup-ctrl-1-20261127T020000Z.tar.gpg */
export function archiveFileName(hostname: string, at: Date) {
  return `ucp-backup-${hostname}-${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}.tar.gpg`;
}
