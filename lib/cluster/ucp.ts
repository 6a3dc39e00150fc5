import type { ContainerSummary } from '@/lib/docker/engine';

/** The named volumes UCP keeps on a controller (UCP-BACKUP-FACTS.md). */
export const UCP_VOLUMES = [
  'ucp-client-root-ca',
  'ucp-cluster-root-ca',
  'ucp-controller-server-certs',
  'ucp-controller-client-certs',
  'ucp-node-certs',
  'ucp-kv-certs',
  'ucp-kv',
  'ucp-auth-store-certs',
  'ucp-auth-store-data',
  'ucp-auth-api-certs',
  'ucp-auth-worker-certs',
  'ucp-auth-worker-data',
  'ucp-metrics-data',
  'ucp-metrics-inventory',
] as const;

/** What UCP's --root-ca-only backs up. */
export const ROOT_CA_VOLUMES = ['ucp-client-root-ca', 'ucp-cluster-root-ca'] as const;

const UCP_LABEL_PREFIX = 'com.docker.ucp';
export const UCP_VERSION_LABEL = 'com.docker.ucp.version';

export function isUcpVolume(name: string) {
  return name.startsWith('ucp-');
}

/** UCP's own containers: named `ucp-…` or carrying a com.docker.ucp label. Everything else is the user's. */
export function isUcpContainer(container: Pick<ContainerSummary, 'name' | 'labels'>) {
  return container.name.startsWith('ucp-') || Object.keys(container.labels).some((key) => key.startsWith(UCP_LABEL_PREFIX));
}

/** The largest number of controllers that may be down at once while the managers keep a majority. */
export function faultTolerance(controllers: number) {
  return controllers > 0 ? Math.floor((controllers - 1) / 2) : 0;
}
