import { describe, expect, it } from 'vitest';
import { faultTolerance, isUcpContainer, isUcpService, isUcpVolume } from './ucp';

describe('faultTolerance', () => {
  it.each([
    [0, 0],
    [1, 0],
    [2, 0],
    [3, 1],
    [4, 1],
    [5, 2],
    [7, 3],
  ])('%i controllers tolerate %i down', (controllers, tolerated) => {
    expect(faultTolerance(controllers)).toBe(tolerated);
  });
});

describe('UCP ownership', () => {
  it("knows UCP's containers by UCP's own names, and its services' task containers", () => {
    expect(isUcpContainer({ name: 'ucp-proxy' })).toBe(true);
    expect(isUcpContainer({ name: 'ucp-agent.x2l9q0nd3ltufa1dz0nyvytbs.0k9v5d2y3q1w8e7r6t5y4u3i2' })).toBe(true);
    expect(isUcpContainer({ name: 'ucp-reconcile' })).toBe(true);
  });

  it("never takes a user's container for UCP's, whatever its ucp- prefix", () => {
    expect(isUcpContainer({ name: 'ucp-impostor' })).toBe(false);
    expect(isUcpContainer({ name: 'ucp-kv.backup' })).toBe(false);
    expect(isUcpContainer({ name: 'user-web' })).toBe(false);
  });

  it('lets only long-running containers say whether UCP is up: a one-shot that exited says nothing', () => {
    expect(isUcpService({ name: 'ucp-kv' })).toBe(true);
    expect(isUcpService({ name: 'ucp-reconcile' })).toBe(false);
  });

  it("knows UCP's volumes by their exact names", () => {
    expect(isUcpVolume('ucp-kv')).toBe(true);
    expect(isUcpVolume('ucp-my-data')).toBe(false);
    expect(isUcpVolume('user-data')).toBe(false);
  });
});
