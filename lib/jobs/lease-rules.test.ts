import { describe, expect, it } from 'vitest';
import { checkLeases, type Lease, type LeaseClaim } from './lease-rules';

const controllers = ['ctrl-1', 'ctrl-2', 'ctrl-3'].map((hostname) => ({ hostname, ucpDown: false }));
const backupOf = (hostname: string, extra: Partial<LeaseClaim> = {}): LeaseClaim => ({
  kind: 'backup',
  nodeKey: hostname,
  hostname,
  holdsNode: true,
  stopsControlPlane: true,
  quorum: { controllers, consent: { outage: false, lostQuorum: false } },
  ...extra,
});
const lease = (id: string, hostname: string, extra: Partial<Lease> = {}): Lease => ({
  id,
  kind: 'backup',
  nodeKey: hostname,
  hostname,
  holdsNode: true,
  stopsControlPlane: true,
  ...extra,
});

describe('checkLeases', () => {
  it('lets a job through when nothing else holds a lease', () => {
    expect(() => checkLeases(backupOf('ctrl-1'), [], null)).not.toThrow();
  });

  it('refuses a second job on a node that another job holds, naming it', () => {
    expect(() => checkLeases(backupOf('ctrl-1'), [lease('b1', 'ctrl-1', { stopsControlPlane: false })], null)).toThrow('ctrl-1 is already being backed up (b1)');
    expect(() => checkLeases(backupOf('ctrl-1'), [lease('r1', 'ctrl-1', { kind: 'restore', stopsControlPlane: false })], null)).toThrow('ctrl-1 is already being restored (r1)');
  });

  it('lets a job that holds no node (a verification) run beside one that does', () => {
    const verify: LeaseClaim = { kind: 'verify', nodeKey: 'ctrl-1', hostname: 'ctrl-1', holdsNode: false, stopsControlPlane: false };
    expect(() => checkLeases(verify, [lease('b1', 'ctrl-1')], null)).not.toThrow();
  });

  it("counts every other job's quorum reservation: a second controller of three is refused", () => {
    expect(() => checkLeases(backupOf('ctrl-2'), [lease('b1', 'ctrl-1')], null)).toThrow(
      /^refused: 3 controllers tolerate 1 down, and ctrl-1 \(being backed up or restored\) already is/,
    );
  });

  it('never counts the job itself', () => {
    expect(() => checkLeases(backupOf('ctrl-2'), [lease('r1', 'ctrl-2', { kind: 'restore' })], 'r1')).not.toThrow();
  });

  it('leaves the quorum alone for a job that stops no control plane', () => {
    expect(() => checkLeases(backupOf('worker-1', { stopsControlPlane: false }), [lease('b1', 'ctrl-1'), lease('b2', 'ctrl-2', { holdsNode: false })], null)).not.toThrow();
  });
});
