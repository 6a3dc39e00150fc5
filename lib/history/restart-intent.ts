import type { ContainerRef } from '@/lib/jobs/stop-window';

/** What a job's row says it must still start again: its stopped containers, until it recorded them started. */
export function restartIntent(row: { endpointId: string | null; containersStartedAt: Date | null; stoppedContainers: ContainerRef[]; downtimeMs: number | null }) {
  return { endpointId: row.endpointId, containers: row.containersStartedAt ? [] : row.stoppedContainers, downtimeMs: row.downtimeMs };
}
