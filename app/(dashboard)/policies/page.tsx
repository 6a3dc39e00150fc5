import type { Metadata } from 'next';
import { PolicyCard } from '@/components/policies/policy-card';
import { PolicyForm, type PolicyDefaults } from '@/components/policies/policy-form';
import { Card, CardTitle } from '@/components/ui/card';
import { grantsOf } from '@/lib/auth/permissions';
import { requireUser } from '@/lib/auth/session';
import { discoverCluster } from '@/lib/cluster/discovery';
import { controllerStates } from '@/lib/cluster/merge';
import { lastOutage } from '@/lib/history/backup-history';
import { listPublicKeys } from '@/lib/keys/public-keys';
import { listPolicies, listPolicyRuns, upcoming, type PolicyView } from '@/lib/policies/policy-store';
import { clockText } from '@/lib/policies/schedule';
import { deletePolicyAction, enablePolicyAction, runPolicyNowAction, savePolicyAction } from './actions';

export const metadata: Metadata = { title: 'Policies' };

/** Without a backup to learn from, what a controller's backup keeps UCP down for, roughly. */
const DOWNTIME_GUESS_S = 30;

export default async function PoliciesPage() {
  const may = grantsOf(await requireUser());
  const [policies, keys, overview] = await Promise.all([listPolicies(), listPublicKeys(), discoverCluster()]);
  const controllers = controllerStates(overview);
  // The longest last outage of any controller: what the backup form judges a node's outage by, too.
  const outages = await Promise.all(controllers.map((c) => lastOutage(c.hostname)));
  const downtimeMs = Math.max(0, ...outages.map((o) => o?.downtimeMs ?? 0)) || null;
  const formProps = {
    action: savePolicyAction,
    nodes: overview.nodes.map((n) => ({ hostname: n.hostname, role: n.role })),
    keys: keys.map((k) => ({ fingerprint: k.fingerprint, userId: k.userIds[0] ?? '' })),
    controllers: controllers.length,
    downtimeSeconds: downtimeMs === null ? DOWNTIME_GUESS_S : Math.ceil(downtimeMs / 1000),
    timeZones: Intl.supportedValuesOf('timeZone'),
  };
  const keyNames = new Map(keys.map((k) => [k.fingerprint, k.userIds[0] ?? '']));
  const runs = await Promise.all(policies.map((p) => listPolicyRuns(p.id)));
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">Policies</h1>
        <p className="mt-1 text-sm text-slate-600">
          Backups on a schedule, outside business hours, encrypted to public keys: no passphrase is stored anywhere. Each run is a backup like any other, one controller at a time,
          and the quorum guard still decides; what it refuses is recorded as skipped.
        </p>
      </div>
      {policies.map((policy, i) => (
        <PolicyCard
          key={policy.id}
          policy={policy}
          {...upcoming(policy)}
          runs={runs[i]}
          keyNames={keyNames}
          actions={{
            runNow: may['run-policy'] ? runPolicyNowAction : undefined,
            enable: may.manage ? enablePolicyAction : undefined,
            remove: may.manage ? deletePolicyAction : undefined,
          }}
        >
          {may.manage && <PolicyForm {...formProps} policy={defaultsOf(policy)} />}
        </PolicyCard>
      ))}
      {may.manage && (
        <Card>
          <CardTitle>New policy</CardTitle>
          <PolicyForm {...formProps} />
        </Card>
      )}
    </div>
  );
}

function defaultsOf(policy: PolicyView): PolicyDefaults {
  return {
    ...policy,
    businessDays: policy.businessHours.days,
    businessStart: clockText(policy.businessHours.start),
    businessEnd: clockText(policy.businessHours.end),
  };
}
