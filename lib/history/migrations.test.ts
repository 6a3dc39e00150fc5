// The committed migrations on a real SQLite file: a database of the old vocabulary (before durable jobs),
// with jobs cut short in it, comes out with job rows the lease rules and recovery can act on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

const migrationsDir = path.join(import.meta.dirname, '../../prisma/migrations');
const migrations = fs
  .readdirSync(migrationsDir)
  .filter((name) => fs.existsSync(path.join(migrationsDir, name, 'migration.sql')))
  .sort();
const FIRST_WITH_JOBS = migrations.findIndex((name) => name.endsWith('_durable_jobs'));
const FIRST_WITH_PARTS = migrations.findIndex((name) => name.endsWith('_manifest_parts'));

function migrate(database: Database.Database, names: string[]) {
  for (const name of names) database.exec(fs.readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8'));
}

const ucp = JSON.stringify([{ id: 'c1', name: 'ucp-kv' }]);
let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('migrating a database from before durable jobs', () => {
  it('gives every job cut short a job row with its node, its quorum reservation and the new state', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-migrations-'));
    const database = new Database(path.join(dir, 'old.db'));
    migrate(database, migrations.slice(0, FIRST_WITH_JOBS));
    const backup = database.prepare(
      `INSERT INTO "Backup" ("id", "nodeId", "nodeHostname", "volumes", "scope", "requestedBy", "fileName", "status", "phase", "stoppedContainers", "containersStartedAt")
       VALUES (?, ?, ?, '[]', 'ucp', 'tests', 'x.tar.gpg', ?, ?, ?, ?)`,
    );
    backup.run('copying', 'swarm-id-2', 'ctrl-2', 'running', 'reading', ucp, null);
    backup.run('notstarted', null, 'ctrl-3', 'succeeded', 'done', ucp, null);
    backup.run('clean', 'swarm-id-1', 'ctrl-1', 'succeeded', 'done', ucp, '2026-11-30 10:00:00');
    const restore = database.prepare(
      `INSERT INTO "Restore" ("id", "sourceKind", "targetHostname", "targetNodeId", "dryRun", "requestedBy", "status", "phase", "stoppedContainers")
       VALUES (?, 'backup', 'ctrl-1', ?, ?, 'tests', 'running', 'verifying', '[]')`,
    );
    restore.run('dryrun', 'swarm-id-1', 1);
    restore.run('writing', null, 0);

    migrate(database, migrations.slice(FIRST_WITH_JOBS));

    const jobs = database.prepare('SELECT "id", "kind", "state", "nodeKey", "holdsNode", "stopsControlPlane", "ownerPid", "releasedAt" FROM "Job" ORDER BY "id"').all();
    expect(jobs).toEqual([
      { id: 'copying', kind: 'backup', state: 'copying', nodeKey: 'swarm-id-2', holdsNode: 1, stopsControlPlane: 1, ownerPid: 0, releasedAt: null },
      { id: 'dryrun', kind: 'restore', state: 'checking', nodeKey: 'swarm-id-1', holdsNode: 0, stopsControlPlane: 0, ownerPid: 0, releasedAt: null },
      { id: 'notstarted', kind: 'backup', state: 'warning', nodeKey: 'ctrl-3', holdsNode: 1, stopsControlPlane: 1, ownerPid: 0, releasedAt: null },
      { id: 'writing', kind: 'restore', state: 'checking', nodeKey: 'ctrl-1', holdsNode: 1, stopsControlPlane: 0, ownerPid: 0, releasedAt: null },
    ]);
    const statuses = Object.fromEntries(
      (database.prepare('SELECT "id", "status" FROM "Backup" UNION ALL SELECT "id", "status" FROM "Restore"').all() as { id: string; status: string }[]).map((r) => [
        r.id,
        r.status,
      ]),
    );
    expect(statuses).toEqual({ copying: 'copying', notstarted: 'warning', clean: 'succeeded', dryrun: 'checking', writing: 'checking' });
    database.close();
  });
});

describe('migrating a database whose backups hold their manifests whole', () => {
  it("makes each manifest its backup's one part, and the rows keep everything else", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-migrations-'));
    const database = new Database(path.join(dir, 'old.db'));
    migrate(database, migrations.slice(0, FIRST_WITH_PARTS));
    const manifest = JSON.stringify({ format: 'lifeboat-ucp-backup', volumes: [{ name: 'ucp-kv', files: 1, bytes: 3, entries: [] }] });
    const backup = database.prepare(
      `INSERT INTO "Backup" ("id", "nodeHostname", "volumes", "scope", "requestedBy", "fileName", "status", "phase", "manifest", "sha256")
       VALUES (?, 'ctrl-1', '["ucp-kv"]', 'ucp', 'tests', 'x.tar.gpg', ?, 'encrypting', ?, ?)`,
    );
    backup.run('stored', 'succeeded', manifest, 'abc');
    backup.run('failed', 'failed', null, null);

    migrate(database, migrations.slice(FIRST_WITH_PARTS));

    expect(database.prepare('SELECT "backupId", "seq", "text" FROM "ManifestPart"').all()).toEqual([{ backupId: 'stored', seq: 0, text: manifest }]);
    expect(database.prepare('SELECT "id", "status", "sha256", "volumes" FROM "Backup" ORDER BY "id"').all()).toEqual([
      { id: 'failed', status: 'failed', sha256: null, volumes: '["ucp-kv"]' },
      { id: 'stored', status: 'succeeded', sha256: 'abc', volumes: '["ucp-kv"]' },
    ]);
    database.close();
  });
});
