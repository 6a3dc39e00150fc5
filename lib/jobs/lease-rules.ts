import { LifeboatError } from '@/lib/errors';
import type { JobKind } from './job-states';
import { checkQuorum, type ControllerState, type QuorumConsent } from './quorum-guard';

/** What a job asks for when it starts: the node it holds, and whether it stops a controller's UCP. */
export type LeaseClaim = {
  kind: JobKind;
  nodeKey: string | null;
  hostname: string | null;
  /** No other job that holds the node may run on it meanwhile (a verification does not hold it). */
  holdsNode: boolean;
  /** The quorum reservation: counted by the guard for every other job. */
  stopsControlPlane: boolean;
  /** What the guard needs when the job stops a controller: the controllers as discovered, and the consent. */
  quorum?: { controllers: ControllerState[]; consent: QuorumConsent };
};

/** A job whose leases still hold, as the database lists it. */
export type Lease = { id: string; kind: string; nodeKey: string | null; hostname: string | null; holdsNode: boolean; stopsControlPlane: boolean };

const BEING: Record<string, string> = { backup: 'backed up', restore: 'restored', verify: 'verified' };

/** Throws a LifeboatError that says which job is in the way, or what the guard refuses. */
export function checkLeases(claim: LeaseClaim, leases: Lease[], selfId: string | null) {
  const others = leases.filter((l) => l.id !== selfId);
  if (claim.holdsNode) {
    const busy = others.find((l) => l.holdsNode && l.nodeKey === claim.nodeKey);
    if (busy) throw new LifeboatError('conflict', `${claim.hostname} is already being ${BEING[busy.kind] ?? 'worked on'} (${busy.id})`);
  }
  if (claim.stopsControlPlane && claim.quorum) {
    checkQuorum({
      controllers: claim.quorum.controllers,
      target: claim.hostname ?? '',
      stoppedByJobs: others.filter((l) => l.stopsControlPlane && l.hostname).map((l) => l.hostname!),
      consent: claim.quorum.consent,
    });
  }
}
