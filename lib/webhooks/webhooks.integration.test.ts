import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '@/e2e/support/until';
import { startBackup } from '@/lib/backup/backup-run';
import { discoverCluster } from '@/lib/cluster/discovery';
import { db } from '@/lib/db';
import { getBackup } from '@/lib/history/backup-history';
import { checkStaleNodes } from './stale-nodes';
import { createWebhook, removeWebhook, setBackupAgeThresholds } from './webhook-store';

// Deliveries are sent by the test server's own dispatcher (it runs in every server process), to a real
// HTTP server here; the test process only queues events, as any process would.

type Received = { headers: http.IncomingHttpHeaders; body: string };

/** An HTTP server that records each POST and answers with the next status of `answers` (then 200). */
async function receiver(answers: number[] = []) {
  const requests: Received[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      requests.push({ headers: request.headers, body });
      response.writeHead(answers.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, requests, close: () => server.close() };
}

/** The receiver's side of the signature, as the README tells it. */
function signedBy(secret: string, { headers, body }: Received) {
  const { t, v1 } = Object.fromEntries(
    String(headers['x-lifeboat-signature'])
      .split(',')
      .map((part) => part.split('=')),
  );
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return Math.abs(Date.now() / 1000 - Number(t)) < 300 && timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('webhooks', () => {
  it('POSTs a signed backup.succeeded when a backup ends, with what the history records', async () => {
    const hook = await receiver();
    const webhook = await createWebhook(hook.url, 'tests');
    cleanups.push(hook.close, () => removeWebhook(webhook.id));
    const started = await startBackup({ node: 'ctrl-2', rootCaOnly: true, passphrase: 'webhook passphrase 1', requestedBy: 'tests' });
    await started.done;
    const request = await until(() => hook.requests.find((r) => JSON.parse(r.body).data.backupId === started.id) ?? null, 'the backup event');
    expect(request.headers['x-lifeboat-event']).toBe('backup.succeeded');
    expect(request.headers['content-type']).toBe('application/json');
    expect(signedBy(webhook.secret, request)).toBe(true);
    expect(signedBy('whsec_another', request)).toBe(false);
    const backup = await getBackup(started.id);
    expect(JSON.parse(request.body)).toMatchObject({
      event: 'backup.succeeded',
      data: { node: 'ctrl-2', status: 'succeeded', sha256: backup.sha256, encryptedBytes: backup.encryptedBytes, downtimeMs: backup.downtimeMs },
    });
    const delivery = await until(() => db.webhookDelivery.findFirst({ where: { webhookId: webhook.id, state: 'delivered' } }), 'the delivery recorded');
    expect(delivery).toMatchObject({ attempts: 1, lastStatus: 200 });
  });

  it('reports each controller without a good backup once per stretch, and retries a refused delivery with the same bytes', async () => {
    const hook = await receiver([503]);
    const webhook = await createWebhook(hook.url, 'tests');
    cleanups.push(hook.close, () => removeWebhook(webhook.id));
    await setBackupAgeThresholds({ warnAfterHours: 12, noGoodBackupHours: 24 });
    // The controllers are those the engines last said they were.
    await discoverCluster();
    // A year from now, no controller's newest good backup is within a day.
    const later = new Date(Date.now() + 365 * 86_400_000);
    await checkStaleNodes(later);
    await checkStaleNodes(later);
    const queued = await db.webhookDelivery.findMany({ where: { webhookId: webhook.id } });
    expect(queued.map((d) => JSON.parse(d.body).data.node).sort()).toEqual(['ctrl-1', 'ctrl-2', 'ctrl-3']);
    expect(new Set(queued.map((d) => d.event))).toEqual(new Set(['node.no_good_backup']));

    await until(async () => ((await db.webhookDelivery.count({ where: { webhookId: webhook.id, state: 'delivered' } })) === 3 ? true : null), 'three deliveries');
    expect(hook.requests).toHaveLength(4);
    const [refused] = hook.requests;
    const retried = hook.requests.slice(1).find((r) => r.headers['x-lifeboat-delivery'] === refused.headers['x-lifeboat-delivery'])!;
    expect(retried.body).toBe(refused.body);
    expect(signedBy(webhook.secret, retried)).toBe(true);
    expect(await db.webhookDelivery.findUnique({ where: { id: String(refused.headers['x-lifeboat-delivery']) } })).toMatchObject({
      attempts: 2,
      lastStatus: 200,
      state: 'delivered',
    });
  });
});
