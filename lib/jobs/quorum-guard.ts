import { faultTolerance } from '@/lib/cluster/ucp';
import { LifeboatError } from '@/lib/errors';

export type ControllerState = { hostname: string; ucpDown: boolean };

/**
 * The seed's high-availability advice as a rule: stopping UCP on `target` must leave a majority of the
 * controllers with UCP running. Down means down or unreachable now, or being stopped by one of
 * Lifeboat's own jobs. With one or two controllers every stop is an outage: only with `confirmOutage`.
 */
export function checkQuorum(input: { controllers: ControllerState[]; target: string; stoppedByJobs: string[]; confirmOutage: boolean }) {
  const { controllers, target, stoppedByJobs, confirmOutage } = input;
  const total = controllers.length;
  const down = controllers.filter((c) => c.ucpDown || stoppedByJobs.includes(c.hostname));
  const runningAfter = controllers.filter((c) => c.hostname !== target && !down.includes(c)).length;

  if (total <= 2) {
    if (confirmOutage) return;
    throw new LifeboatError(
      'conflict',
      `this cluster has ${total} controller${total === 1 ? '' : 's'}: stopping UCP on ${target} stops the control plane until the volumes are read. Confirm the outage to go ahead.`,
    );
  }
  if (runningAfter * 2 <= total) {
    const names = down.map((c) => (stoppedByJobs.includes(c.hostname) ? `${c.hostname} (being backed up or restored)` : `${c.hostname} (down)`));
    throw new LifeboatError(
      'conflict',
      `refused: ${total} controllers tolerate ${faultTolerance(total)} down, and ${names.join(', ')} already ${names.length === 1 ? 'is' : 'are'}; stopping UCP on ${target} too would leave ${runningAfter} of ${total} running, not a majority. Try again when ${names.length === 1 ? 'it is' : 'they are'} back.`,
    );
  }
}
