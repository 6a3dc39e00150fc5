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

export const UCP_VERSION_LABEL = 'com.docker.ucp.version';

/**
 * UCP's own containers, by the names UCP gives them: anyone who can run a container can give it a
 * `ucp-` prefix or UCP's labels, so neither counts. Containers of UCP's swarm services are named after
 * the service, then `.<slot or node>.<task>`.
 */
const UCP_SERVICES = [
  'ucp-agent',
  'ucp-auth-api',
  'ucp-auth-store',
  'ucp-auth-worker',
  'ucp-client-root-ca',
  'ucp-cluster-root-ca',
  'ucp-controller',
  'ucp-hardware-info',
  'ucp-interlock',
  'ucp-interlock-extension',
  'ucp-interlock-proxy',
  'ucp-kube-apiserver',
  'ucp-kube-controller-manager',
  'ucp-kube-proxy',
  'ucp-kube-scheduler',
  'ucp-kubelet',
  'ucp-kv',
  'ucp-metrics',
  'ucp-proxy',
  'ucp-swarm-manager',
];
/** UCP's one-shot containers: they run, do their work and exit, so an exited one says nothing about UCP. */
const UCP_ONE_SHOTS = ['ucp-reconcile', 'ucp-dsinfo', 'ucp-install', 'ucp-upgrade', 'ucp-uninstall-ucp'];

/** A swarm service's task container is named `<service>.<slot or node ID>.<task ID>`. */
const serviceOf = (name: string) => /^(.+)\.[a-z0-9]+\.[a-z0-9]{25}$/.exec(name)?.[1] ?? name;

/** One of UCP's volumes, by its exact name: a user's `ucp-something` volume is the user's. */
export function isUcpVolume(name: string) {
  return (UCP_VOLUMES as readonly string[]).includes(name);
}

/** UCP's own containers, by name (long-running or one-shot). Everything else is the user's. */
export function isUcpContainer(container: Pick<ContainerSummary, 'name'>) {
  return isUcpService(container) || UCP_ONE_SHOTS.includes(serviceOf(container.name));
}

/** UCP's long-running containers: only these say whether a controller's UCP is up. */
export function isUcpService(container: Pick<ContainerSummary, 'name'>) {
  return UCP_SERVICES.includes(serviceOf(container.name));
}

/** The largest number of controllers that may be down at once while the managers keep a majority. */
export function faultTolerance(controllers: number) {
  return controllers > 0 ? Math.floor((controllers - 1) / 2) : 0;
}
