import 'server-only';
import { discoverCluster, engineForNode, findNode } from '@/lib/cluster/discovery';
import { controllerStates } from '@/lib/cluster/merge';
import { isUcpContainer } from '@/lib/cluster/ucp';
import { lastOutage } from '@/lib/history/backup-history';
import { activeLeases } from '@/lib/jobs/job-lease';
import { weighQuorum } from '@/lib/jobs/quorum-guard';
import { containersToStop, stopsControlPlane } from '@/lib/jobs/stop-scope';
import type { BackupRequestInput } from '@/lib/validations/backup';
import { expectedOutageMs } from './outage-estimate';
import { selectVolumes } from './backup-plan';

/** The quorum guard's answer, asked before the operator submits: go, go with a consent, or refused. */
export type GuardPreview =
  { verdict: 'holds'; message: string } | { verdict: 'consent'; consent: 'confirmOutage' | 'confirmLostQuorum'; message: string } | { verdict: 'refused'; message: string };

/** What a backup would do if started now: the form shows it before the operator submits. */
export type BackupPreview = {
  node: string;
  role: 'manager' | 'worker';
  volumes: string[];
  /** Containers it would stop (and start again), UCP's first. */
  stops: { name: string; ucp: boolean }[];
  bytes: number;
  /** About how long they would stay stopped, and what that is judged by. */
  outage: { ms: number | null; basis: string };
  /** Null when it stops no running control plane. */
  guard: GuardPreview | null;
  /** Another job that holds the node now: the backup would be refused until it ends. */
  busy: string | null;
  notes: string[];
};

/** How long a preview reuses a node's volume sizes: `docker system df` walks every volume, and the form asks again at each change of selection. */
const SIZES_FRESH_MS = 20_000;
const recentSizes = new Map<string, { at: number; sizes: Promise<Map<string, number | null>> }>();

function volumeSizes(hostname: string, engine: Awaited<ReturnType<typeof engineForNode>>) {
  const recent = recentSizes.get(hostname);
  if (recent && Date.now() - recent.at < SIZES_FRESH_MS) return recent.sizes;
  const sizes = engine.volumeSizes();
  recentSizes.set(hostname, { at: Date.now(), sizes });
  // A failure forgets them, unless a newer ask has taken their place meanwhile.
  sizes.catch(() => recentSizes.get(hostname)?.sizes === sizes && recentSizes.delete(hostname));
  return sizes;
}

/**
 * The dry check behind the form's "what will happen": the same selection, stop scope and quorum guard
 * as a backup's, without taking anything or loading anything into the engine.
 */
export async function previewBackup(request: Pick<BackupRequestInput, 'node' | 'volumes' | 'rootCaOnly' | 'stopUserContainers'>): Promise<BackupPreview> {
  const cluster = await discoverCluster();
  const node = await findNode(request.node, cluster);
  const engine = await engineForNode(node);
  const [volumes, containers, sizes, leases, past] = await Promise.all([
    engine.volumes(),
    engine.containers(),
    volumeSizes(node.hostname, engine),
    activeLeases(),
    lastOutage(node.hostname),
  ]);
  const { selected } = selectVolumes(node, new Set(volumes.map((v) => v.name)), request);
  const stopped = containersToStop(containers, selected, { users: Boolean(request.stopUserContainers) });
  const bytes = selected.reduce((sum, v) => sum + (sizes.get(v) ?? 0), 0);
  const holder = leases.find((l) => l.holdsNode && l.nodeKey === node.key);
  const stoppedByJobs = leases.filter((l) => l.stopsControlPlane && l.hostname).map((l) => l.hostname!);
  const unstopped = [
    ...new Set(
      containers.filter((c) => !isUcpContainer(c) && c.state === 'running' && !stopped.includes(c) && c.mounts.some((m) => m.name && selected.includes(m.name))).map((c) => c.name),
    ),
  ];
  const role = node.role === 'manager' ? 'manager' : 'worker';
  return {
    node: node.hostname,
    role,
    volumes: selected,
    stops: stopped.map((c) => ({ name: c.name, ucp: isUcpContainer(c) })).sort((a, b) => Number(b.ucp) - Number(a.ucp) || a.name.localeCompare(b.name)),
    bytes,
    outage: outageOf(stopped.length, bytes, past),
    guard: stopsControlPlane(node.role, stopped) ? guardOf(weighQuorum({ controllers: controllerStates(cluster), target: node.hostname, stoppedByJobs })) : null,
    busy: holder ? `${node.hostname} is being ${holder.kind === 'restore' ? 'restored' : 'backed up'} now (${holder.id}): a backup waits until that ends` : null,
    notes: [
      ...(role === 'worker'
        ? [`${node.hostname} is a worker: it holds no UCP state, so this copies only the volumes chosen here, for your own use; the cluster never needs it.`]
        : []),
      ...(unstopped.length ? [`${unstopped.join(', ')} ${unstopped.length === 1 ? 'keeps' : 'keep'} running and writing while the copy is taken: it may not be consistent.`] : []),
    ],
  };
}

function outageOf(stopCount: number, bytes: number, past: Awaited<ReturnType<typeof lastOutage>>) {
  if (stopCount === 0) return { ms: 0, basis: 'nothing mounts these volumes: nothing stops' };
  const ms = expectedOutageMs(bytes, past);
  if (ms === null || !past) return { ms: null, basis: 'no earlier backup of this node to judge by' };
  return { ms, basis: `its last backup (${past.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC) kept them stopped ${(past.downtimeMs / 1000).toFixed(1)} s` };
}

function guardOf(verdict: ReturnType<typeof weighQuorum>): GuardPreview {
  if ('refused' in verdict) return { verdict: 'refused', message: verdict.refused };
  if (verdict.needs) return { verdict: 'consent', consent: verdict.needs === 'outage' ? 'confirmOutage' : 'confirmLostQuorum', message: verdict.situation };
  return { verdict: 'holds', message: 'the majority of controllers keeps running UCP while this one is stopped' };
}
