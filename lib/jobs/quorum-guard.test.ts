import { describe, expect, it } from 'vitest';
import { checkQuorum } from '@/lib/jobs/quorum-guard';

const three = ['ctrl-1', 'ctrl-2', 'ctrl-3'].map((hostname) => ({ hostname, ucpDown: false }));
const none = { outage: false, lostQuorum: false };
const downOn = (names: string[]) => three.map((c) => ({ ...c, ucpDown: names.includes(c.hostname) }));

describe('checkQuorum', () => {
  it('lets one of three controllers stop', () => {
    expect(() => checkQuorum({ controllers: three, target: 'ctrl-1', stoppedByJobs: [], consent: none })).not.toThrow();
  });

  it("refuses a second stop while one of Lifeboat's jobs holds another controller", () => {
    expect(() => checkQuorum({ controllers: three, target: 'ctrl-2', stoppedByJobs: ['ctrl-1'], consent: none })).toThrow(
      'refused: 3 controllers tolerate 1 down, and ctrl-1 (being backed up or restored) already is; stopping UCP on ctrl-2 too would leave 1 of 3 running, not a majority. Try again when it is back.',
    );
  });

  it('counts a controller whose UCP is down now', () => {
    expect(() => checkQuorum({ controllers: downOn(['ctrl-3']), target: 'ctrl-1', stoppedByJobs: [], consent: none })).toThrow(/ctrl-3 \(down\)/);
  });

  it('lets the controller that is down itself be worked on: it does not count twice', () => {
    expect(() => checkQuorum({ controllers: downOn(['ctrl-3']), target: 'ctrl-3', stoppedByJobs: [], consent: none })).not.toThrow();
  });

  it('lets two of five stop, not three', () => {
    const five = ['a', 'b', 'c', 'd', 'e'].map((hostname) => ({ hostname, ucpDown: false }));
    expect(() => checkQuorum({ controllers: five, target: 'b', stoppedByJobs: ['a'], consent: none })).not.toThrow();
    expect(() => checkQuorum({ controllers: five, target: 'c', stoppedByJobs: ['a', 'b'], consent: none })).toThrow(/leave 2 of 5/);
  });

  it('asks, with one or two controllers, for the consent that says the control plane stops', () => {
    const two = three.slice(0, 2);
    expect(() => checkQuorum({ controllers: two, target: 'ctrl-1', stoppedByJobs: [], consent: none })).toThrow(
      'this cluster has 2 controllers: stopping UCP on ctrl-1 stops the control plane until the job is done. Confirm "this stops the control plane" to go ahead.',
    );
    expect(() => checkQuorum({ controllers: two, target: 'ctrl-1', stoppedByJobs: [], consent: { outage: true, lostQuorum: false } })).not.toThrow();
  });

  it('once the majority is lost, acts only with the lost-quorum consent; the outage consent is not it', () => {
    const broken = downOn(['ctrl-2', 'ctrl-3']);
    const refusal =
      'the cluster has lost quorum: 1 of 3 controllers run UCP (ctrl-2 (down), ctrl-3 (down)). Confirm "the cluster has lost quorum; restore anyway" to act on ctrl-2 now.';
    expect(() => checkQuorum({ controllers: broken, target: 'ctrl-2', stoppedByJobs: [], consent: none })).toThrow(refusal);
    expect(() => checkQuorum({ controllers: broken, target: 'ctrl-2', stoppedByJobs: [], consent: { outage: true, lostQuorum: false } })).toThrow(refusal);
    expect(() => checkQuorum({ controllers: broken, target: 'ctrl-2', stoppedByJobs: [], consent: { outage: false, lostQuorum: true } })).not.toThrow();
  });

  it('counts a lone controller whose UCP is half down as a lost quorum: what still runs there stops only with that consent', () => {
    expect(() => checkQuorum({ controllers: [{ hostname: 'solo', ucpDown: true }], target: 'solo', stoppedByJobs: [], consent: none })).toThrow(/lost quorum/);
  });
});
