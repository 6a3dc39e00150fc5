import 'server-only';
import { randomBytes } from 'node:crypto';
import { db } from '@/lib/db';
import { LifeboatError } from '@/lib/errors';
import { seal } from '@/lib/secrets/sealed-box';

/** The one place that keeps webhooks and the alerting threshold. */

const SHOWN_DELIVERIES = 5;

/** Adds a webhook; its signing secret is returned once (it is kept sealed, to sign with). */
export async function createWebhook(url: string, createdBy: string): Promise<{ id: string; url: string; secret: string }> {
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  const row = await db.webhook.create({ data: { url, secretSealed: seal(secret), createdBy } });
  return { id: row.id, url: row.url, secret };
}

/** Every webhook with its last deliveries, newest first. */
export async function listWebhooks() {
  return db.webhook.findMany({
    orderBy: { createdAt: 'asc' },
    select: {
      id: true,
      url: true,
      createdBy: true,
      createdAt: true,
      deliveries: {
        orderBy: { createdAt: 'desc' },
        take: SHOWN_DELIVERIES,
        select: { id: true, event: true, state: true, attempts: true, lastStatus: true, lastError: true, createdAt: true, deliveredAt: true, nextAttemptAt: true },
      },
    },
  });
}

export async function removeWebhook(id: string) {
  const { count } = await db.webhook.deleteMany({ where: { id } });
  if (count === 0) throw new LifeboatError('not_found', `no webhook has the id ${id}`);
}

/** After how many hours without a good backup a controller shows amber (`warnAfterHours`), then red and is reported (`noGoodBackupHours`, node.no_good_backup). */
export type BackupAgeThresholds = { warnAfterHours: number; noGoodBackupHours: number };

const DEFAULT_THRESHOLDS: BackupAgeThresholds = { warnAfterHours: 24, noGoodBackupHours: 48 };

export async function backupAgeThresholds(): Promise<BackupAgeThresholds> {
  const row = await db.alertSettings.findUnique({ where: { id: 1 } });
  return row ? { warnAfterHours: row.warnAfterHours, noGoodBackupHours: row.noGoodBackupHours } : DEFAULT_THRESHOLDS;
}

export async function setBackupAgeThresholds(thresholds: BackupAgeThresholds) {
  await db.alertSettings.upsert({ where: { id: 1 }, create: { id: 1, ...thresholds }, update: thresholds });
}
