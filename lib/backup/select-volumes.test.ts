import { describe, expect, it } from 'vitest';
import { selectVolumes } from './backup-plan';

const controller = { hostname: 'ctrl-1', role: 'manager' as const };
const onNode = new Set(['ucp-kv', 'ucp-client-root-ca', 'ucp-cluster-root-ca', 'user-data']);

describe('selectVolumes', () => {
  it("takes every UCP volume by default, never a user's", () => {
    expect(selectVolumes(controller, onNode, {})).toEqual({ selected: ['ucp-client-root-ca', 'ucp-cluster-root-ca', 'ucp-kv'], scope: 'ucp' });
  });

  it('takes the two root CA volumes with rootCaOnly', () => {
    expect(selectVolumes(controller, onNode, { rootCaOnly: true })).toEqual({ selected: ['ucp-client-root-ca', 'ucp-cluster-root-ca'], scope: 'root-ca' });
  });

  it('takes a selection as given, once each', () => {
    expect(selectVolumes(controller, onNode, { volumes: ['user-data', 'ucp-kv', 'user-data'] })).toEqual({ selected: ['user-data', 'ucp-kv'], scope: 'custom' });
  });

  it('refuses a node without UCP volumes', () => {
    expect(() => selectVolumes(controller, new Set(['user-data']), {})).toThrow('ctrl-1 has no UCP volumes: is UCP installed on it?');
  });

  it('refuses root CA only where there is no root CA', () => {
    expect(() => selectVolumes(controller, new Set(['ucp-kv']), { rootCaOnly: true })).toThrow(/ctrl-1 has no root CA volumes/);
  });
});
