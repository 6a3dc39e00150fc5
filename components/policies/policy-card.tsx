import Link from 'next/link';
import type { ReactNode } from 'react';
import { BackupStatus } from '@/components/backup/backup-status';
import { ActionButton } from '@/components/ui/action-button';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { formatInZone, formatTime } from '@/components/ui/format';
import { Table } from '@/components/ui/table';
import type { ActionState } from '@/lib/auth/form-action';
import type { PolicyRunView, PolicyView } from '@/lib/policies/policy-store';
import { describeRetention } from '@/lib/policies/retention';
import { describeBusinessHours } from '@/lib/policies/schedule';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

const TARGET_TEXT = { node: 'one node', 'all-controllers': 'all controllers, one after another', rotation: 'one controller per run, in rotation' } as const;
const TRIGGER_TEXT = { schedule: 'scheduled', missed: 'missed, made up', manual: 'Run now' } as const;
const RUN_TONES = { running: 'info', succeeded: 'good', failed: 'bad', skipped: 'warn', interrupted: 'warn' } as const;

const runColumns = [{ label: 'Scheduled for' }, { label: 'How' }, { label: 'State' }, { label: 'Backups' }, { label: 'Outcome' }];

/** One policy: what it does, when it runs next (and whether that is in business hours), its last runs. */
export function PolicyCard({
  policy,
  next,
  inBusinessHours,
  runs,
  keyNames,
  actions,
  children,
}: {
  policy: PolicyView;
  next: Date[];
  inBusinessHours: Date[];
  runs: PolicyRunView[];
  keyNames: Map<string, string>;
  /** What the signed-in user may do to it: the others are not shown. */
  actions: { runNow?: Action; enable?: Action; remove?: Action };
  /** The edit form, for those who may change policies. */
  children?: ReactNode;
}) {
  const zone = policy.timeZone;
  return (
    <Card>
      <div data-policy={policy.name}>
        <CardTitle
          aside={
            <span className="flex items-center gap-2">
              {actions.runNow && <ActionButton action={actions.runNow} fields={{ id: policy.id }} label="Run now" pendingLabel="Starting…" variant="primary" />}
              {actions.enable && (
                <ActionButton
                  action={actions.enable}
                  fields={{ id: policy.id, enabled: String(!policy.enabled) }}
                  label={policy.enabled ? 'Disable' : 'Enable'}
                  pendingLabel="Saving…"
                />
              )}
              {actions.remove && (
                <ActionButton
                  action={actions.remove}
                  fields={{ id: policy.id }}
                  label="Delete"
                  pendingLabel="Deleting…"
                  variant="danger"
                  confirm={`Delete the policy "${policy.name}"? Its backups stay.`}
                  toastOnSuccess
                />
              )}
            </span>
          }
        >
          {policy.name} {policy.enabled ? <Badge tone="good">enabled</Badge> : <Badge>disabled</Badge>}
        </CardTitle>
        <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
          <dt className="text-slate-500">When</dt>
          <dd>
            <span className="font-mono">{policy.cron}</span> in {zone}
          </dd>
          <dt className="text-slate-500">Backs up</dt>
          <dd>
            {policy.target === 'node' ? <span className="font-mono">{policy.node}</span> : TARGET_TEXT[policy.target]}:{' '}
            {policy.scope === 'root-ca' ? 'the root CA only' : 'every UCP volume'}
          </dd>
          <dt className="text-slate-500">Encrypted to</dt>
          <dd>{policy.keys.map((f) => keyNames.get(f) || f.slice(-16)).join(', ')}</dd>
          <dt className="text-slate-500">Verification</dt>
          <dd>{policy.verify ? 'each archive, once stored' : 'none (verify from the history, with the private key)'}</dd>
          <dt className="text-slate-500">Retention</dt>
          <dd>{describeRetention(policy.retention)}</dd>
          <dt className="text-slate-500">Missed runs</dt>
          <dd>{policy.missedRuns === 'run-once' ? 'run once when the server starts' : 'skipped'}</dd>
          <dt className="text-slate-500">Next runs</dt>
          <dd>
            {next.length === 0 ? (
              <span className="text-slate-500">none while disabled</span>
            ) : (
              <ul data-testid="next-runs">
                {next.map((at) => (
                  <li key={at.toISOString()} title={formatTime(at)}>
                    {formatInZone(at, zone)}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </dl>
        {inBusinessHours.length > 0 && (
          <p role="alert" className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
            {inBusinessHours.length} run{inBusinessHours.length === 1 ? '' : 's'} in the coming week fall{inBusinessHours.length === 1 ? 's' : ''} inside business hours (
            {describeBusinessHours(policy.businessHours)}, {zone}), the first {formatInZone(inBusinessHours[0], zone)}: each stops a controller&apos;s UCP while users work.
          </p>
        )}
        <h3 className="mt-4 mb-1 text-sm font-medium text-slate-800">Latest runs</h3>
        {runs.length === 0 ? (
          <p className="text-sm text-slate-500">No run yet.</p>
        ) : (
          <Table columns={runColumns}>
            {runs.map((run) => (
              <tr key={run.id} data-run={run.id} className="border-b border-slate-100 align-top">
                <td className="py-1.5 pr-3 whitespace-nowrap">{formatTime(run.scheduledFor)}</td>
                <td className="py-1.5 pr-3 whitespace-nowrap">{TRIGGER_TEXT[run.trigger]}</td>
                <td className="py-1.5 pr-3">
                  <Badge tone={RUN_TONES[run.state]}>{run.state}</Badge>
                </td>
                <td className="py-1.5 pr-3">
                  {run.backups.map((b) => (
                    <Link key={b.id} href={`/backups/${b.id}`} className="mr-2 inline-flex items-center gap-1 font-mono text-xs text-sky-800 hover:underline">
                      {b.nodeHostname} <BackupStatus status={b.status} />
                    </Link>
                  ))}
                </td>
                <td className="py-1.5 text-xs text-slate-600">{run.message}</td>
              </tr>
            ))}
          </Table>
        )}
        {children && (
          <details className="mt-4">
            <summary className="cursor-pointer text-sm text-sky-800">Edit</summary>
            <div className="mt-3">{children}</div>
          </details>
        )}
      </div>
    </Card>
  );
}
