import 'server-only';
import { db, takeWriteLock } from '@/lib/db';
import { lastGoodBackups } from '@/lib/history/backup-history';
import { enqueueEvent } from './webhook-events';
import { backupAgeThresholds } from './webhook-store';

/**
 * Reports (node.no_good_backup) each controller whose newest good backup is older than the threshold,
 * or that never had one since Lifeboat knows it: once per stretch without one. The controllers are those
 * the engines last said they were, so the check runs while the cluster is down too.
 */
export async function checkStaleNodes(now = new Date()) {
  // Nobody to tell: nothing is marked reported, so a first webhook hears of the nodes that are red already.
  if ((await db.webhook.count()) === 0) return;
  const hours = (await backupAgeThresholds()).noGoodBackupHours;
  const stale = (lastGood: Date | null, knownSince: Date) => now.getTime() - (lastGood ?? knownSince).getTime() > hours * 3600_000;
  const [controllers, good] = await Promise.all([db.endpoint.findMany({ where: { lastRole: 'manager', lastHostname: { not: null } } }), lastGoodBackups()]);
  for (const controller of controllers) {
    const node = controller.lastHostname!;
    const lastGood = good.get(node)?.startedAt ?? null;
    if (!stale(lastGood, controller.createdAt)) {
      // A good backup since the report ends the stretch: the next one is reported again.
      if (lastGood) await db.staleNodeAlert.deleteMany({ where: { hostname: node, alertedAt: { lt: lastGood } } });
      continue;
    }
    await db.$transaction(async (tx) => {
      // Two processes check at once: the second sees the first's report. A backup that ended meanwhile counts.
      await takeWriteLock(tx);
      const newest = (await lastGoodBackups(tx)).get(node)?.startedAt ?? null;
      if (!stale(newest, controller.createdAt)) return;
      const reported = await tx.staleNodeAlert.findUnique({ where: { hostname: node } });
      if (reported && (reported.lastGoodAt?.getTime() ?? null) === (newest?.getTime() ?? null)) return;
      await tx.staleNodeAlert.upsert({
        where: { hostname: node },
        create: { hostname: node, lastGoodAt: newest, alertedAt: now },
        update: { lastGoodAt: newest, alertedAt: now },
      });
      await enqueueEvent(tx, 'node.no_good_backup', { node, lastGoodBackupAt: newest?.toISOString() ?? null, thresholdHours: hours });
    });
  }
}
