import 'server-only';
import type { ManifestSummary } from '@/lib/archive/manifest';
import { discoverCluster, engineForNode, findNode } from '@/lib/cluster/discovery';
import { controllerStates } from '@/lib/cluster/merge';
import type { ClusterNode } from '@/lib/cluster/types';
import { isUcpContainer, UCP_VERSION_LABEL } from '@/lib/cluster/ucp';
import type { Engine } from '@/lib/docker/engine';
import { LifeboatError } from '@/lib/errors';
import type { ContainerRef } from '@/lib/history/backup-history';
import { CONSENT_WORDS, weighQuorum, type ControllerState } from '@/lib/jobs/quorum-guard';
import { containersToStop, stopsControlPlane } from '@/lib/jobs/stop-scope';
import type { TargetPlan } from './report';

export type RestorePlan = {
  node: ClusterNode;
  engine: Engine;
  volumes: TargetPlan['volumes'];
  /** Running containers that mount a volume being replaced (UCP's or users'), and the node's running UCP containers. */
  containersToStop: ContainerRef[];
  stopsControlPlane: boolean;
  targetUcpVersion: string | null;
  notes: string[];
  /** The controllers as discovered: the quorum guard weighs them against every job's reservation. */
  controllers: ControllerState[];
};

/** "3.2.6" -> "3.2" */
function majorMinor(version: string) {
  return version.split('.').slice(0, 2).join('.');
}

/** Every check a restore must pass before it changes anything on `target`, but for the leases (lib/jobs). */
export async function planRestore(options: { target: string; manifest: ManifestSummary; force: boolean }): Promise<RestorePlan> {
  const { manifest } = options;
  const cluster = await discoverCluster();
  const node = await findNode(options.target, cluster);
  if (!node.reachable) throw new LifeboatError('engine_unavailable', `${node.hostname} does not answer: ${node.engineError}`);
  const engine = await engineForNode(node);
  const [volumes, containers] = await Promise.all([engine.volumes(), engine.containers()]);
  const existing = new Set(volumes.map((v) => v.name));
  const restored = manifest.volumes.map((v) => v.name);

  const targetUcpVersion = containers.find((c) => isUcpContainer(c) && c.labels[UCP_VERSION_LABEL])?.labels[UCP_VERSION_LABEL] ?? null;
  const notes: string[] = [];
  if (manifest.ucpVersion && targetUcpVersion && majorMinor(manifest.ucpVersion) !== majorMinor(targetUcpVersion)) {
    const reason = `the backup is of UCP ${manifest.ucpVersion} and ${node.hostname} runs UCP ${targetUcpVersion}: a restore needs the same major.minor version`;
    if (!options.force) throw new LifeboatError('conflict', `${reason} (force it only if you know why)`);
    notes.push(`forced: ${reason}`);
  }
  if (manifest.node.hostname !== node.hostname) {
    notes.push(
      `the backup comes from ${manifest.node.hostname}: node-specific certificates (ucp-node-certs, ucp-controller-server-certs and the like) will be ${manifest.node.hostname}'s`,
    );
  }

  const toStop = containersToStop(containers, restored, { users: true });

  return {
    node,
    engine,
    volumes: restored.map((name) => ({ name, action: existing.has(name) ? 'replace' : 'create' })),
    containersToStop: toStop.map((c) => ({ id: c.id, name: c.name })),
    stopsControlPlane: stopsControlPlane(node.role, toStop),
    targetUcpVersion,
    notes,
    controllers: controllerStates(cluster),
  };
}

export function targetPlanOf(plan: RestorePlan): TargetPlan {
  return {
    hostname: plan.node.hostname,
    ucpVersion: plan.targetUcpVersion,
    volumes: plan.volumes,
    stop: plan.containersToStop.map((c) => c.name),
    consent: consentFor(plan),
    notes: plan.notes,
  };
}

/** The consent a restore of this plan asks for, as the guard weighs the cluster now (the restore weighs it again). */
function consentFor(plan: RestorePlan): TargetPlan['consent'] {
  if (!plan.stopsControlPlane) return null;
  const verdict = weighQuorum({ controllers: plan.controllers, target: plan.node.hostname, stoppedByJobs: [] });
  if (!('needs' in verdict) || !verdict.needs) return null;
  return { field: verdict.needs === 'outage' ? 'confirmOutage' : 'confirmLostQuorum', words: CONSENT_WORDS[verdict.needs], why: verdict.situation };
}
