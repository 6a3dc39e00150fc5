import { describe, expect, it } from 'vitest';
import { checkQuorum } from '@/lib/jobs/quorum-guard';

const three = ['ctrl-1', 'ctrl-2', 'ctrl-3'].map((hostname) => ({ hostname, ucpDown: false }));

describe('checkQuorum', () => {
  it('lets one of three controllers stop', () => {
    expect(() => checkQuorum({ controllers: three, target: 'ctrl-1', stoppedByJobs: [], confirmOutage: false })).not.toThrow();
  });

  it("refuses a second stop while one of Lifeboat's jobs holds another controller", () => {
    expect(() => checkQuorum({ controllers: three, target: 'ctrl-2', stoppedByJobs: ['ctrl-1'], confirmOutage: false })).toThrow(
      'refused: 3 controllers tolerate 1 down, and ctrl-1 (being backed up or restored) already is; stopping UCP on ctrl-2 too would leave 1 of 3 running, not a majority. Try again when it is back.',
    );
  });

  it('counts a controller whose UCP is down now', () => {
    const oneDown = three.map((c) => ({ ...c, ucpDown: c.hostname === 'ctrl-3' }));
    expect(() => checkQuorum({ controllers: oneDown, target: 'ctrl-1', stoppedByJobs: [], confirmOutage: false })).toThrow(/ctrl-3 \(down\)/);
  });

  it('lets the controller that is down itself be backed up: it costs no more of the majority', () => {
    const oneDown = three.map((c) => ({ ...c, ucpDown: c.hostname === 'ctrl-3' }));
    expect(() => checkQuorum({ controllers: oneDown, target: 'ctrl-3', stoppedByJobs: [], confirmOutage: false })).not.toThrow();
  });

  it('lets two of five stop, not three', () => {
    const five = ['a', 'b', 'c', 'd', 'e'].map((hostname) => ({ hostname, ucpDown: false }));
    expect(() => checkQuorum({ controllers: five, target: 'b', stoppedByJobs: ['a'], confirmOutage: false })).not.toThrow();
    expect(() => checkQuorum({ controllers: five, target: 'c', stoppedByJobs: ['a', 'b'], confirmOutage: false })).toThrow(/leave 2 of 5/);
  });

  it('asks for a confirmation that names the outage with one or two controllers', () => {
    const two = three.slice(0, 2);
    expect(() => checkQuorum({ controllers: two, target: 'ctrl-1', stoppedByJobs: [], confirmOutage: false })).toThrow(
      'this cluster has 2 controllers: stopping UCP on ctrl-1 stops the control plane until the volumes are read. Confirm the outage to go ahead.',
    );
    expect(() => checkQuorum({ controllers: two, target: 'ctrl-1', stoppedByJobs: [], confirmOutage: true })).not.toThrow();
  });
});
