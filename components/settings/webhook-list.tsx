import { Badge } from '@/components/ui/badge';
import { formatTime } from '@/components/ui/format';
import { RemoveButton } from '@/components/ui/remove-button';
import type { ActionState } from '@/lib/auth/form-action';
import type { listWebhooks } from '@/lib/webhooks/webhook-store';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;
type Webhook = Awaited<ReturnType<typeof listWebhooks>>[number];

/** Each webhook with its last deliveries: what was sent, whether it was taken, and when it is tried next. */
export function WebhookList({ webhooks, remove }: { webhooks: Webhook[]; remove: Action }) {
  return (
    <ul className="my-5 divide-y divide-slate-100">
      {webhooks.length === 0 && <li className="py-2 text-sm text-slate-500">No webhooks yet.</li>}
      {webhooks.map((w) => (
        <li key={w.id} data-webhook={w.url} className="space-y-2 py-2 text-sm">
          <div className="flex flex-wrap items-center gap-3">
            <span className="break-all font-mono text-xs">{w.url}</span>
            <span className="text-xs text-slate-500">added by {w.createdBy}</span>
            <span className="ml-auto">
              <RemoveButton action={remove} id={w.id} confirm={`Remove the webhook ${w.url}? Its queued deliveries go with it.`} />
            </span>
          </div>
          {w.deliveries.length === 0 ? (
            <p className="text-xs text-slate-500">No deliveries yet.</p>
          ) : (
            <table className="w-full text-xs" aria-label={`Last deliveries to ${w.url}`}>
              <tbody>
                {w.deliveries.map((d) => (
                  <tr key={d.id} data-delivery={d.event} className="border-t border-slate-100">
                    <td className="py-1 font-mono">{d.event}</td>
                    <td>
                      <Badge tone={d.state === 'delivered' ? 'good' : d.state === 'failed' ? 'bad' : 'warn'}>{d.state}</Badge>
                    </td>
                    <td className="text-slate-600">
                      {d.attempts} attempt{d.attempts === 1 ? '' : 's'}
                      {d.lastStatus ? `, last answered ${d.lastStatus}` : ''}
                      {d.state !== 'delivered' && d.lastError ? `: ${d.lastError}` : ''}
                      {d.state === 'pending' && d.attempts > 0 ? `; next try ${formatTime(d.nextAttemptAt)}` : ''}
                    </td>
                    <td className="text-right text-slate-500">{formatTime(d.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </li>
      ))}
    </ul>
  );
}
