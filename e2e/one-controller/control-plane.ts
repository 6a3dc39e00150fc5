// What a backup or restore of the only controller's UCP volumes must do, as the tests observe it on the lab.
import { startTimes, volumeFingerprints } from '../support/fingerprint';
import { dockerJsonLines, shInVolumes } from '../support/lab';
import { expect } from './fixtures';

export const NODE = 'ctrl-1';

/** The quorum guard's refusal of a job that would stop ctrl-1's UCP without the outage consent. */
export const OUTAGE_REFUSAL =
  'this cluster has 1 controller: stopping UCP on ctrl-1 stops the control plane until the job is done. Confirm "this stops the control plane" to go ahead.';

/** Every volume of the node, UCP's and the user's, each with its fingerprint (entries, types, modes, owners, sizes, times, SHA-256s). */
export function volumeHashes(node = NODE): Promise<Record<string, string>> {
  return volumeFingerprints(node);
}

/**
 * Changes two UCP volumes behind Lifeboat's back: a file deleted (if a run before did not) and one added in
 * ucp-kv, the client CA's certificate overwritten; with content of this call's own, so each call changes both.
 */
export async function spoilUcpVolumes(node = NODE) {
  const mark = `${Date.now()}`;
  await shInVolumes(
    node,
    { 'ucp-kv': '/kv', 'ucp-client-root-ca': '/ca' },
    `rm -f /kv/etcd.conf.yml && echo stray ${mark} > /kv/stray.txt && echo not a certificate ${mark} > /ca/cert.pem`,
  );
}

/** The node's containers, each with its state and when it last started. */
export async function containers(node = NODE): Promise<Record<string, { state: string; startedAt: string }>> {
  const states = Object.fromEntries((await dockerJsonLines<{ Names: string; State: string }>(node, 'ps', '-a')).map((c) => [c.Names, c.State]));
  const started = await startTimes(node);
  return Object.fromEntries(Object.entries(started).map(([name, startedAt]) => [name, { state: states[name], startedAt }]));
}

/**
 * After a job that stopped the control plane: every UCP container runs again, each started anew (it was
 * stopped), and the user's containers run as they did, never restarted. Resolves to the UCP containers' names.
 */
export async function expectControlPlaneRestarted(before: Awaited<ReturnType<typeof containers>>): Promise<string[]> {
  const after = await containers();
  expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
  const ucp = Object.keys(after).filter((name) => name.startsWith('ucp-'));
  expect(ucp.length).toBeGreaterThan(0);
  for (const name of Object.keys(after)) {
    expect(after[name].state, name).toBe('running');
    if (ucp.includes(name)) expect(after[name].startedAt, `${name} was stopped and started again`).not.toBe(before[name].startedAt);
    else expect(after[name].startedAt, `${name} was never restarted`).toBe(before[name].startedAt);
  }
  return ucp.sort();
}
