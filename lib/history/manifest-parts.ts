import 'server-only';
import type { ManifestStore } from '@/lib/archive/manifest-stream';
import type { Manifest } from '@/lib/archive/manifest';
import { db, type Db } from '@/lib/db';

/** Parts of at most 64 Ki characters each: 16 are at most 2 MiB of strings in hand. */
const PARTS_PER_READ = 16;

/**
 * The one place that records manifests: a backup's, in the parts it was written in (the archive's
 * packing appends them as it goes), read back a few at a time. A backup that fails loses them.
 */
export function manifestParts(backupId: string): ManifestStore {
  let appended = 0;
  return {
    append: async (text) => {
      await db.manifestPart.create({ data: { backupId, seq: appended, text } });
      appended += 1;
    },
    async *parts() {
      // A few parts per query (a 100,000-file manifest has about 400), never the whole manifest at once.
      for (let seq = 0; ; seq += PARTS_PER_READ) {
        const parts = await db.manifestPart.findMany({
          where: { backupId, seq: { gte: seq, lt: seq + PARTS_PER_READ } },
          orderBy: { seq: 'asc' },
          select: { seq: true, text: true },
        });
        for (const [index, part] of parts.entries()) {
          // A gap ends the manifest where it is, as a missing part did when they were read one by one.
          if (part.seq !== seq + index) return;
          yield part.text;
        }
        if (parts.length < PARTS_PER_READ) return;
      }
    },
  };
}

export async function discardManifest(backupId: string) {
  await db.manifestPart.deleteMany({ where: { backupId } });
}

/** The manifest a job wrote under its own id becomes backup `backupId`'s (a restore's safety copy). */
export async function adoptManifest(jobId: string, backupId: string, tx: Db) {
  await tx.manifestPart.updateMany({ where: { backupId: jobId }, data: { backupId } });
}

/**
 * Removes the manifests of backups never stored whose jobs hold no lease: what a process left that died
 * while it packed, or packed on after it was declared dead. One statement, so one view of the leases
 * and the rows: a job holds its lease before it writes a part, and its backup is stored before it lets go.
 */
export async function discardOrphanedManifests() {
  await db.$executeRaw`DELETE FROM "ManifestPart" WHERE "backupId" NOT IN (SELECT "id" FROM "Job" WHERE "releasedAt" IS NULL) AND "backupId" NOT IN (SELECT "id" FROM "Backup" WHERE "storedAt" IS NOT NULL)`;
}

/** A stored backup's manifest, as JSON text in parts; none while it is still packing (it has only some of them). */
export async function* storedManifest(backupId: string): AsyncGenerator<string> {
  const row = await db.backup.findUnique({ where: { id: backupId }, select: { storedAt: true } });
  if (row?.storedAt) yield* manifestParts(backupId).parts();
}

/** A stored backup's whole manifest, for the page that shows it (parsed at once: read it only there). */
export async function getManifest(backupId: string): Promise<Manifest | null> {
  let text = '';
  for await (const part of storedManifest(backupId)) text += part;
  return text ? (JSON.parse(text) as Manifest) : null;
}
