import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Db } from '@/lib/db';

/** What webhooks report. `*.failed` covers failed, cancelled and interrupted jobs (`status` says which). */
export type WebhookEvent =
  'backup.succeeded' | 'backup.failed' | 'backup.skipped' | 'restore.succeeded' | 'restore.failed' | 'verification.succeeded' | 'verification.failed' | 'node.no_good_backup';

/**
 * Queues `event` for every webhook, in the caller's transaction: it is sent only if what it reports
 * is recorded, and it is never lost once it is. The body is fixed now; every attempt sends these bytes.
 */
export async function enqueueEvent(tx: Db, event: WebhookEvent, data: Record<string, unknown>) {
  const webhooks = await tx.webhook.findMany({ select: { id: true } });
  if (webhooks.length === 0) return;
  const body = JSON.stringify({ id: randomUUID(), event, at: new Date().toISOString(), data });
  await tx.webhookDelivery.createMany({ data: webhooks.map((w) => ({ webhookId: w.id, event, body })) });
}

/** The event of a job that ended in `status`. */
export function outcomeEvent(kind: 'backup' | 'restore' | 'verification', status: string): WebhookEvent {
  return `${kind}.${status === 'succeeded' || status === 'warning' ? 'succeeded' : 'failed'}`;
}
