import 'server-only';
import { engineForNode } from './discovery';
import type { ClusterNode } from './types';
import { isUcpContainer, isUcpVolume } from './ucp';

export type VolumeUser = { name: string; state: string; ucp: boolean };

export type NodeVolume = { name: string; driver: string; ucp: boolean; usedBy: VolumeUser[]; createdAt: string | null };

/** The node's volumes and which containers mount each: UCP's first. */
export async function nodeVolumes(node: ClusterNode): Promise<NodeVolume[]> {
  const engine = await engineForNode(node);
  const [volumes, containers] = await Promise.all([engine.volumes(), engine.containers()]);
  return volumes
    .map((v) => ({
      name: v.name,
      driver: v.driver,
      ucp: isUcpVolume(v.name),
      createdAt: v.createdAt,
      usedBy: containers.filter((c) => c.mounts.some((m) => m.type === 'volume' && m.name === v.name)).map((c) => ({ name: c.name, state: c.state, ucp: isUcpContainer(c) })),
    }))
    .sort((a, b) => Number(b.ucp) - Number(a.ucp) || a.name.localeCompare(b.name));
}

/** Bytes per volume; kept apart from nodeVolumes because the engine computes it slowly. */
export async function nodeVolumeSizes(node: ClusterNode): Promise<Record<string, number | null>> {
  const engine = await engineForNode(node);
  return Object.fromEntries(await engine.volumeSizes());
}
