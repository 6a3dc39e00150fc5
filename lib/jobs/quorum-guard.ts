import { faultTolerance } from '@/lib/cluster/ucp';
import { LifeboatError } from '@/lib/errors';

export type ControllerState = { hostname: string; ucpDown: boolean };

/** What the operator agreed to, each asked for in its own words. */
export type QuorumConsent = {
  /** One or two controllers: "this stops the control plane". */
  outage: boolean;
  /** A majority already lost: "the cluster has lost quorum; restore anyway". */
  lostQuorum: boolean;
};

/** The consent a stop needs, in the words the page and the API use for it. */
export const CONSENT_WORDS: Record<keyof QuorumConsent, string> = {
  outage: 'this stops the control plane',
  lostQuorum: 'the cluster has lost quorum; restore anyway',
};

/** `situation` says what the consent is for; `message`, the refusal without it. */
export type QuorumVerdict = { refused: string } | { needs: keyof QuorumConsent; situation: string; message: string } | { needs: null };

/**
 * The seed's high-availability advice as a rule, for a job that stops UCP on `target`. Down means down
 * or unreachable now, or being stopped by one of Lifeboat's own jobs; a target already down does not
 * count twice. Stopping must leave a majority of the controllers running, except with consent: with one
 * or two controllers every stop is an outage; once the majority is lost, a job may still act (that is
 * when a restore is needed), but only with its own consent.
 */
export function weighQuorum(input: { controllers: ControllerState[]; target: string; stoppedByJobs: string[] }): QuorumVerdict {
  const { controllers, target, stoppedByJobs } = input;
  const total = controllers.length;
  const isDown = (c: ControllerState) => c.ucpDown || stoppedByJobs.includes(c.hostname);
  const down = controllers.filter(isDown);
  const runningNow = total - down.length;
  const targetRuns = controllers.some((c) => c.hostname === target && !isDown(c));
  const runningAfter = runningNow - (targetRuns ? 1 : 0);
  const names = down.map((c) => (stoppedByJobs.includes(c.hostname) ? `${c.hostname} (being backed up or restored)` : `${c.hostname} (down)`));

  if (total > 0 && runningNow * 2 <= total) {
    return needs('lostQuorum', `the cluster has lost quorum: ${runningNow} of ${total} controllers run UCP (${names.join(', ')}).`, `to act on ${target} now`);
  }
  if (!targetRuns) return { needs: null };
  if (total <= 2) {
    const situation = `this cluster has ${total} controller${total === 1 ? '' : 's'}: stopping UCP on ${target} stops the control plane until the job is done.`;
    return needs('outage', situation, 'to go ahead');
  }
  if (runningAfter * 2 <= total) {
    return {
      refused: `refused: ${total} controllers tolerate ${faultTolerance(total)} down, and ${names.join(', ')} already ${names.length === 1 ? 'is' : 'are'}; stopping UCP on ${target} too would leave ${runningAfter} of ${total} running, not a majority. Try again when ${names.length === 1 ? 'it is' : 'they are'} back.`,
    };
  }
  return { needs: null };
}

function needs(consent: keyof QuorumConsent, situation: string, toDo: string): QuorumVerdict {
  return { needs: consent, situation, message: `${situation} Confirm "${CONSENT_WORDS[consent]}" ${toDo}.` };
}

/** Throws what the guard refuses, or the consent it needs and was not given. */
export function checkQuorum(input: { controllers: ControllerState[]; target: string; stoppedByJobs: string[]; consent: QuorumConsent }) {
  const verdict = weighQuorum(input);
  if ('refused' in verdict) throw new LifeboatError('conflict', verdict.refused);
  if (verdict.needs && !input.consent[verdict.needs]) throw new LifeboatError('conflict', verdict.message);
}
