import { isUcpContainer, isUcpVolume } from '@/lib/cluster/ucp';
import type { ContainerSummary } from '@/lib/docker/engine';

/**
 * The running containers a job stops to read or write `volumes` consistently: exactly those that mount
 * one of them; when any of UCP's volumes is in scope, all of UCP's, for UCP's own consistency. Users'
 * containers only with `users` (a backup stops them when asked; a restore always does).
 */
export function containersToStop(containers: ContainerSummary[], volumes: string[], { users }: { users: boolean }): ContainerSummary[] {
  const ucpInScope = volumes.some(isUcpVolume);
  const mountsOne = (c: ContainerSummary) => c.mounts.some((m) => Boolean(m.name) && volumes.includes(m.name!));
  return containers.filter((c) => c.state === 'running' && (isUcpContainer(c) ? ucpInScope || mountsOne(c) : users && mountsOne(c)));
}

/** Whether stopping `stopped` on a node of `role` stops a running control plane (the quorum guard weighs it). */
export function stopsControlPlane(role: string, stopped: ContainerSummary[]) {
  return role === 'manager' && stopped.some(isUcpContainer);
}
