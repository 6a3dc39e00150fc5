import 'server-only';
import { repeat } from '@/lib/background';
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
  // The claim runs from when it is taken (the queries before it may have waited for the database).
  const claim = new Date(Date.now() + CLAIM_MS);
  const { count } = await db.webhookDelivery.updateMany({
    where: { id, state: 'pending', nextAttemptAt: { lte: now }, OR: [{ claimedUntil: null }, { claimedUntil: { lt: new Date() } }] },
    data: { claimedUntil: claim },
  });
  if (count === 0) return; // another process has it, or it is no longer due
  const delivery = await db.webhookDelivery.findUnique({ where: { id }, include: { webhook: true } });
  if (!delivery) return; // its webhook was removed meanwhile
  const outcome = await send(delivery.webhook.url, () => unseal(delivery.webhook.secretSealed), delivery);
  const attempts = delivery.attempts + 1;
  const givenUp = !outcome.ok && attempts >= MAX_ATTEMPTS;
  // Only while the claim holds: a send that outlived it may have been made again by another process, whose answer stands.
  await db.webhookDelivery.updateMany({
    where: { id, claimedUntil: claim },
    data: outcome.ok
      ? { state: 'delivered', attempts, lastStatus: outcome.status, lastError: null, deliveredAt: new Date(), claimedUntil: null }
      : {
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

async function send(url: string, secret: () => string, delivery: { id: string; event: string; body: string }): Promise<Outcome> {
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
        [SIGNATURE_HEADER]: signature(secret(), delivery.body),
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
  dispatcher.lifeboatWebhooks = [repeat(deliverDue, POLL_MS, 'webhooks'), repeat(checkStaleNodes, STALE_CHECK_MS, 'checking for nodes without a good backup')];
}
