import { describe, expect, it } from 'vitest';
import { faultTolerance, isUcpContainer, isUcpVolume } from './ucp';

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
  it('counts containers named ucp-… or labelled com.docker.ucp.* as UCP, and nothing else', () => {
    expect(isUcpContainer({ name: 'ucp-proxy', labels: {} })).toBe(true);
    expect(isUcpContainer({ name: 'agent', labels: { 'com.docker.ucp.InstanceID': 'x' } })).toBe(true);
    expect(isUcpContainer({ name: 'user-web', labels: { 'com.example.ucp': 'no' } })).toBe(false);
  });

  it('counts volumes named ucp-… as UCP', () => {
    expect(isUcpVolume('ucp-kv')).toBe(true);
    expect(isUcpVolume('user-data')).toBe(false);
  });
});
