import 'server-only';
import { db } from '@/lib/db';
import { messageOf } from '@/lib/errors';
import { unseal } from '@/lib/secrets/sealed-box';
import { checkStaleNodes } from './stale-nodes';
import { signature, SIGNATURE_HEADER } from './webhook-signature';

const POLL_MS = 2_000;
const STALE_CHECK_MS = 60_000;
const SEND_TIMEOUT_MS = 10_000;
/** A claim outlives a send (its timeout) by a margin; a process that dies mid-send leaves it to another after that. */
const CLAIM_MS = SEND_TIMEOUT_MS + 20_000;
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 3 * 3600_000;
/** 5 s, 30 s, 3 min, 18 min, 1.8 h, then every 3 h: about 8 hours in all. */
export const MAX_ATTEMPTS = 8;

export function retryDelayMs(failedAttempts: number) {
  return Math.min(FIRST_RETRY_MS * 6 ** (failedAttempts - 1), MAX_RETRY_MS);
}

/** Sends every delivery that is due and that this process could claim; resolves when they are settled. */
export async function deliverDue(now = new Date()) {
  const due = await db.webhookDelivery.findMany({
    where: { state: 'pending', nextAttemptAt: { lte: now }, OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] },
    orderBy: { createdAt: 'asc' },
    take: 20,
    select: { id: true },
  });
  await Promise.all(due.map((d) => deliverOne(d.id, now)));
}

async function deliverOne(id: string, now: Date) {
  const { count } = await db.webhookDelivery.updateMany({
    where: { id, state: 'pending', OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] },
    data: { claimedUntil: new Date(now.getTime() + CLAIM_MS) },
  });
  if (count === 0) return; // another process has it
  const delivery = await db.webhookDelivery.findUniqueOrThrow({ where: { id }, include: { webhook: true } });
  const outcome = await send(delivery.webhook.url, unseal(delivery.webhook.secretSealed), delivery);
  const attempts = delivery.attempts + 1;
  if (outcome.ok) {
    await db.webhookDelivery.update({
      where: { id },
      data: { state: 'delivered', attempts, lastStatus: outcome.status, lastError: null, deliveredAt: new Date(), claimedUntil: null },
    });
    return;
  }
  const givenUp = attempts >= MAX_ATTEMPTS;
  await db.webhookDelivery.update({
    where: { id },
    data: {
      state: givenUp ? 'failed' : 'pending',
      attempts,
      lastStatus: outcome.status,
      lastError: outcome.error,
      nextAttemptAt: new Date(Date.now() + retryDelayMs(attempts)),
      claimedUntil: null,
    },
  });
}

type Outcome = { ok: boolean; status: number | null; error: string | null };

async function send(url: string, secret: string, delivery: { id: string; event: string; body: string }): Promise<Outcome> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      body: delivery.body,
      // A redirect is an answer, not a place to send the event to.
      redirect: 'manual',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Lifeboat-Webhook/1',
        'X-Lifeboat-Event': delivery.event,
        'X-Lifeboat-Delivery': delivery.id,
        [SIGNATURE_HEADER]: signature(secret, delivery.body),
      },
    });
    await response.body?.cancel();
    return response.ok ? { ok: true, status: response.status, error: null } : { ok: false, status: response.status, error: `answered ${response.status} ${response.statusText}` };
  } catch (error) {
    return { ok: false, status: null, error: messageOf(error instanceof Error && error.cause ? error.cause : error) };
  }
}

const dispatcher = globalThis as { lifeboatWebhooks?: NodeJS.Timeout[] };

/** Sends due deliveries every few seconds, and checks for controllers without a good backup every minute. */
export function startWebhookDispatcher() {
  if (dispatcher.lifeboatWebhooks) return;
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    await deliverDue()
      .catch((error) => console.error(`lifeboat: webhooks: ${messageOf(error)}`))
      .finally(() => (busy = false));
  };
  const stale = () => void checkStaleNodes().catch((error) => console.error(`lifeboat: checking for nodes without a good backup: ${messageOf(error)}`));
  dispatcher.lifeboatWebhooks = [setInterval(tick, POLL_MS), setInterval(stale, STALE_CHECK_MS)];
  for (const timer of dispatcher.lifeboatWebhooks) timer.unref();
}
