// The audit log on a real SQLite file made by the committed migrations: rows go in, and nothing, whatever
// writes to the file, changes or removes one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

const migrationsDir = path.join(import.meta.dirname, '../../prisma/migrations');

let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the audit log', () => {
  it('takes inserts and refuses every update and delete', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-audit-'));
    const database = new Database(path.join(dir, 'audit.db'));
    for (const name of fs.readdirSync(migrationsDir).sort()) {
      const file = path.join(migrationsDir, name, 'migration.sql');
      if (fs.existsSync(file)) database.exec(fs.readFileSync(file, 'utf8'));
    }
    const insert = database.prepare(`INSERT INTO "AuditEvent" ("actor", "address", "action", "result") VALUES (?, ?, ?, ?)`);
    insert.run('user:admin', '127.0.0.1', 'login', 'ok');
    insert.run('user:mallory', '203.0.113.9', 'login', 'failed');
    expect(() => database.prepare(`UPDATE "AuditEvent" SET "result" = 'ok' WHERE "actor" = 'user:mallory'`).run()).toThrow('the audit log is append-only');
    expect(() => database.prepare(`DELETE FROM "AuditEvent" WHERE "actor" = 'user:mallory'`).run()).toThrow('the audit log is append-only');
    expect(() => database.prepare(`DELETE FROM "AuditEvent"`).run()).toThrow('the audit log is append-only');
    expect(database.prepare(`SELECT "actor", "result" FROM "AuditEvent" ORDER BY "id"`).all()).toEqual([
      { actor: 'user:admin', result: 'ok' },
      { actor: 'user:mallory', result: 'failed' },
    ]);
    database.close();
  });
});
