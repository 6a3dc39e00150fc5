-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "nodeKey" TEXT,
    "hostname" TEXT,
    "holdsNode" BOOLEAN NOT NULL DEFAULT false,
    "stopsControlPlane" BOOLEAN NOT NULL DEFAULT false,
    "parentId" TEXT,
    "ownerId" TEXT NOT NULL,
    "ownerPid" INTEGER NOT NULL,
    "fence" INTEGER NOT NULL DEFAULT 1,
    "heartbeatAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "releasedAt" DATETIME,
    "progress" TEXT,
    "cancelRequestedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "JobLock" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "tick" INTEGER NOT NULL DEFAULT 0
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Backup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL DEFAULT 'manual',
    "nodeId" TEXT,
    "nodeHostname" TEXT NOT NULL,
    "endpointId" TEXT,
    "volumes" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "note" TEXT,
    "requestedBy" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "phase" TEXT NOT NULL DEFAULT 'queued',
    "error" TEXT,
    "warning" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "downtimeMs" INTEGER,
    "plainBytes" BIGINT,
    "encryptedBytes" BIGINT,
    "sha256" TEXT,
    "fileName" TEXT NOT NULL,
    "storedAt" DATETIME,
    "fileDeletedAt" DATETIME,
    "manifest" TEXT,
    "ucpVersion" TEXT,
    "engineVersion" TEXT,
    "stoppedContainers" TEXT NOT NULL DEFAULT '[]',
    "containersStartedAt" DATETIME,
    "verifiedAt" DATETIME,
    "verifyOk" BOOLEAN,
    "verifyMessage" TEXT
);
INSERT INTO "new_Backup" ("containersStartedAt", "downtimeMs", "encryptedBytes", "endpointId", "engineVersion", "error", "fileDeletedAt", "fileName", "finishedAt", "id", "kind", "manifest", "nodeHostname", "nodeId", "note", "phase", "plainBytes", "requestedBy", "scope", "sha256", "startedAt", "status", "stoppedContainers", "storedAt", "ucpVersion", "verifiedAt", "verifyMessage", "verifyOk", "volumes", "warning") SELECT "containersStartedAt", "downtimeMs", "encryptedBytes", "endpointId", "engineVersion", "error", "fileDeletedAt", "fileName", "finishedAt", "id", "kind", "manifest", "nodeHostname", "nodeId", "note", "phase", "plainBytes", "requestedBy", "scope", "sha256", "startedAt", "status", "stoppedContainers", "storedAt", "ucpVersion", "verifiedAt", "verifyMessage", "verifyOk", "volumes", "warning" FROM "Backup";
DROP TABLE "Backup";
ALTER TABLE "new_Backup" RENAME TO "Backup";
CREATE INDEX "Backup_startedAt_idx" ON "Backup"("startedAt");
CREATE INDEX "Backup_nodeHostname_idx" ON "Backup"("nodeHostname");
CREATE INDEX "Backup_status_idx" ON "Backup"("status");
CREATE TABLE "new_Restore" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sourceKind" TEXT NOT NULL,
    "backupId" TEXT,
    "uploadName" TEXT,
    "sourceHostname" TEXT,
    "targetHostname" TEXT NOT NULL,
    "targetNodeId" TEXT,
    "endpointId" TEXT,
    "dryRun" BOOLEAN NOT NULL,
    "forced" BOOLEAN NOT NULL DEFAULT false,
    "requestedBy" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "phase" TEXT NOT NULL DEFAULT 'queued',
    "error" TEXT,
    "warning" TEXT,
    "report" TEXT,
    "safetyBackupId" TEXT,
    "stoppedContainers" TEXT NOT NULL DEFAULT '[]',
    "containersStartedAt" DATETIME,
    "downtimeMs" INTEGER,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);
INSERT INTO "new_Restore" ("backupId", "containersStartedAt", "downtimeMs", "dryRun", "endpointId", "error", "finishedAt", "forced", "id", "phase", "report", "requestedBy", "safetyBackupId", "sourceHostname", "sourceKind", "startedAt", "status", "stoppedContainers", "targetHostname", "targetNodeId", "uploadName", "warning") SELECT "backupId", "containersStartedAt", "downtimeMs", "dryRun", "endpointId", "error", "finishedAt", "forced", "id", "phase", "report", "requestedBy", "safetyBackupId", "sourceHostname", "sourceKind", "startedAt", "status", "stoppedContainers", "targetHostname", "targetNodeId", "uploadName", "warning" FROM "Restore";
DROP TABLE "Restore";
ALTER TABLE "new_Restore" RENAME TO "Restore";
CREATE INDEX "Restore_startedAt_idx" ON "Restore"("startedAt");
CREATE INDEX "Restore_status_idx" ON "Restore"("status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Job_releasedAt_idx" ON "Job"("releasedAt");

-- CreateIndex
CREATE INDEX "Job_state_idx" ON "Job"("state");


-- The old vocabulary: phases become the job states (lib/jobs/job-states.ts).
UPDATE "Backup" SET "phase" = CASE "phase" WHEN 'preparing' THEN 'checking' WHEN 'reading' THEN 'copying' WHEN 'done' THEN 'encrypting' ELSE "phase" END;
UPDATE "Restore" SET "phase" = CASE "phase" WHEN 'verifying' THEN 'checking' WHEN 'safety-backup' THEN 'copying' WHEN 'done' THEN 'starting' ELSE "phase" END;
-- A job that was running, or whose containers were not started again, when Lifeboat was upgraded gets a
-- job row whose owner is gone (pid 0): the first server to start recovers it and puts its node back.
INSERT INTO "Job" ("id", "kind", "state", "hostname", "holdsNode", "ownerId", "ownerPid")
  SELECT "id", 'backup', CASE "status" WHEN 'running' THEN "phase" ELSE "status" END, "nodeHostname", true, 'before-jobs', 0 FROM "Backup"
  WHERE "status" = 'running' OR ("containersStartedAt" IS NULL AND "stoppedContainers" <> '[]');
INSERT INTO "Job" ("id", "kind", "state", "hostname", "holdsNode", "ownerId", "ownerPid")
  SELECT "id", 'restore', CASE "status" WHEN 'running' THEN "phase" ELSE "status" END, "targetHostname", true, 'before-jobs', 0 FROM "Restore"
  WHERE "status" = 'running' OR ("containersStartedAt" IS NULL AND "stoppedContainers" <> '[]');
UPDATE "Backup" SET "status" = "phase" WHERE "status" = 'running';
UPDATE "Restore" SET "status" = "phase" WHERE "status" = 'running';
INSERT INTO "JobLock" ("id", "tick") VALUES (1, 0);
