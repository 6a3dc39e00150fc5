// The hourly sweep, and the manifest parts it keeps, against the tests' real data directory and database.
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { archivePaths, ensureStore, spoolPath, uploadPaths } from './archive-store';
import { sweepOrphans } from './archive-sweep';
import { manifestParts } from '@/lib/history/manifest-parts';

const HOUR = 3600_000;
const ids = {
  held: 'sweepheld1',
  gone: 'sweepgone1',
  oldArchive: 'sweepold1',
  newArchive: 'sweepnew1',
  recorded: 'sweeprec1',
  unrecorded: 'sweepunrec1',
  restoring: 'sweeprestoring1',
  idleUpload: 'usweepidle',
  busyUpload: 'usweepbusy',
  oldUpload: 'usweepold',
  restoredUpload: 'usweepinuse',
  manyParts: 'sweepmany1',
  gap: 'sweepgap1',
};

function put(file: string, ageMs: number) {
  fs.writeFileSync(file, 'x');
  const at = new Date(Date.now() - ageMs);
  fs.utimesSync(file, at, at);
}

describe('sweepOrphans', () => {
  afterAll(async () => {
    await db.job.deleteMany({ where: { id: { in: [ids.held, ids.restoring] } } });
    await db.backup.deleteMany({ where: { id: { in: [ids.recorded, ids.unrecorded] } } });
    await db.restore.deleteMany({ where: { id: ids.restoring } });
    await db.manifestPart.deleteMany({ where: { backupId: { in: Object.values(ids) } } });
    for (const id of Object.values(ids)) {
      for (const file of [archivePaths(id).final, archivePaths(id).part, spoolPath(id, 0), uploadPaths(id).final, uploadPaths(id).part]) fs.rmSync(file, { force: true });
    }
  });

  it('removes what no job will use, and nothing a job or the history still needs', async () => {
    await ensureStore();
    await db.job.create({ data: { id: ids.held, kind: 'backup', state: 'copying', ownerId: 'another process', ownerPid: process.pid } });
    const backup = { nodeHostname: 'ctrl-1', volumes: '[]', scope: 'ucp', requestedBy: 'tests', fileName: 'x.tar.gpg' };
    await db.backup.create({ data: { ...backup, id: ids.recorded, status: 'succeeded', storedAt: new Date() } });
    // A job that ended without recording its archive (its owner renamed it after it was taken over, say).
    await db.backup.create({ data: { ...backup, id: ids.unrecorded, status: 'interrupted' } });
    await db.job.create({ data: { id: ids.restoring, kind: 'restore', state: 'checking', ownerId: 'another process', ownerPid: process.pid } });
    await db.restore.create({
      data: {
        id: ids.restoring,
        sourceKind: 'upload',
        uploadId: ids.restoredUpload,
        uploadName: 'x.tar.gpg',
        targetHostname: 'ctrl-1',
        dryRun: false,
        requestedBy: 'tests',
        status: 'checking',
      },
    });
    put(archivePaths(ids.held).part, 2 * HOUR);
    put(spoolPath(ids.held, 0), 2 * HOUR);
    put(archivePaths(ids.gone).part, 0);
    put(spoolPath(ids.gone, 0), 0);
    put(archivePaths(ids.oldArchive).final, 2 * HOUR);
    put(archivePaths(ids.newArchive).final, 0);
    put(archivePaths(ids.recorded).final, 48 * HOUR);
    put(archivePaths(ids.unrecorded).final, 2 * HOUR);
    put(uploadPaths(ids.idleUpload).part, 2 * HOUR);
    put(uploadPaths(ids.busyUpload).part, 0);
    put(uploadPaths(ids.oldUpload).final, 48 * HOUR);
    put(uploadPaths(ids.restoredUpload).final, 48 * HOUR);
    for (const id of [ids.held, ids.gone, ids.recorded, ids.unrecorded]) {
      for (const seq of [0, 1]) await db.manifestPart.create({ data: { backupId: id, seq, text: '{}' } });
    }
    // A part written after its backup's were discarded (its owner packed on after it was declared dead).
    await db.manifestPart.create({ data: { backupId: ids.oldArchive, seq: 3, text: '{}' } });

    await sweepOrphans();

    const exists = (file: string) => fs.existsSync(file);
    // A job that holds its lease keeps its files, whoever owns it.
    expect([exists(archivePaths(ids.held).part), exists(spoolPath(ids.held, 0))]).toEqual([true, true]);
    // A job that holds nothing (or has no row) leaves nothing.
    expect([exists(archivePaths(ids.gone).part), exists(spoolPath(ids.gone, 0))]).toEqual([false, false]);
    // An archive without a history row: kept for its first hour (the rename comes before the record), then removed.
    expect([exists(archivePaths(ids.newArchive).final), exists(archivePaths(ids.oldArchive).final)]).toEqual([true, false]);
    expect(exists(archivePaths(ids.recorded).final)).toBe(true);
    // An archive whose row ended without recording it stored: removed, after the same hour.
    expect(exists(archivePaths(ids.unrecorded).final)).toBe(false);
    // Uploads: one still being written stays; one idle for an hour, or unused for a day, goes.
    expect([exists(uploadPaths(ids.busyUpload).part), exists(uploadPaths(ids.idleUpload).part), exists(uploadPaths(ids.oldUpload).final)]).toEqual([true, false, false]);
    // However old, an upload that a restore holding its node reads stays.
    expect(exists(uploadPaths(ids.restoredUpload).final)).toBe(true);
    // Manifests: a job's that holds its lease, and a stored backup's, stay; the rest go (a died packer's).
    const manifests = await db.manifestPart.groupBy({ by: ['backupId'], where: { backupId: { in: Object.values(ids) } }, _count: true });
    expect(Object.fromEntries(manifests.map((m) => [m.backupId, m._count]))).toEqual({ [ids.held]: 2, [ids.recorded]: 2 });
  });

  it('reads a manifest back in the order its parts were written, across reads, and stops at a missing part', async () => {
    const many = manifestParts(ids.manyParts);
    const written = Array.from({ length: 40 }, (_, seq) => `part ${seq};`);
    for (const text of written) await many.append(text);
    const read: string[] = [];
    for await (const text of many.parts()) read.push(text);
    expect(read).toEqual(written);

    await db.manifestPart.createMany({ data: [0, 1, 3].map((seq) => ({ backupId: ids.gap, seq, text: `part ${seq};` })) });
    const beforeGap: string[] = [];
    for await (const text of manifestParts(ids.gap).parts()) beforeGap.push(text);
    expect(beforeGap).toEqual(['part 0;', 'part 1;']);
  });
});
