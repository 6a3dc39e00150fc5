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
  const hours = (await backupAgeThresholds()).noGoodBackupHours;
  const [controllers, good] = await Promise.all([db.endpoint.findMany({ where: { lastRole: 'manager', lastHostname: { not: null } } }), lastGoodBackups()]);
  for (const controller of controllers) {
    const node = controller.lastHostname!;
    const lastGood = good.get(node)?.startedAt ?? null;
    if (now.getTime() - (lastGood ?? controller.createdAt).getTime() <= hours * 3600_000) continue;
    await db.$transaction(async (tx) => {
      // Two processes check at once: the second sees the first's report.
      await takeWriteLock(tx);
      const reported = await tx.staleNodeAlert.findUnique({ where: { hostname: node } });
      if (reported && reported.lastGoodAt?.getTime() === lastGood?.getTime()) return;
      await tx.staleNodeAlert.upsert({
        where: { hostname: node },
        create: { hostname: node, lastGoodAt: lastGood, alertedAt: now },
        update: { lastGoodAt: lastGood, alertedAt: now },
      });
      await enqueueEvent(tx, 'node.no_good_backup', { node, lastGoodBackupAt: lastGood?.toISOString() ?? null, thresholdHours: hours });
    });
  }
}
