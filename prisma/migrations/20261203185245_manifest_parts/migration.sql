-- CreateTable
CREATE TABLE "ManifestPart" (
    "backupId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "text" TEXT NOT NULL,

    PRIMARY KEY ("backupId", "seq")
);

-- Each manifest recorded so far becomes its backup's one part.
INSERT INTO "ManifestPart" ("backupId", "seq", "text") SELECT "id", 0, "manifest" FROM "Backup" WHERE "manifest" IS NOT NULL;

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
    "ucpVersion" TEXT,
    "engineVersion" TEXT,
    "stoppedContainers" TEXT NOT NULL DEFAULT '[]',
    "containersStartedAt" DATETIME,
    "verifiedAt" DATETIME,
    "verifyOk" BOOLEAN,
    "verifyMessage" TEXT,
    "timings" TEXT,
    "encryptedTo" TEXT NOT NULL DEFAULT '{"passphrase":true,"keys":[]}',
    "policyId" TEXT,
    "policyName" TEXT,
    "policyRunId" TEXT,
    "prunedAt" DATETIME,
    "prunedBy" TEXT
);
INSERT INTO "new_Backup" ("containersStartedAt", "downtimeMs", "encryptedBytes", "encryptedTo", "endpointId", "engineVersion", "error", "fileDeletedAt", "fileName", "finishedAt", "id", "kind", "nodeHostname", "nodeId", "note", "phase", "plainBytes", "policyId", "policyName", "policyRunId", "prunedAt", "prunedBy", "requestedBy", "scope", "sha256", "startedAt", "status", "stoppedContainers", "storedAt", "timings", "ucpVersion", "verifiedAt", "verifyMessage", "verifyOk", "volumes", "warning") SELECT "containersStartedAt", "downtimeMs", "encryptedBytes", "encryptedTo", "endpointId", "engineVersion", "error", "fileDeletedAt", "fileName", "finishedAt", "id", "kind", "nodeHostname", "nodeId", "note", "phase", "plainBytes", "policyId", "policyName", "policyRunId", "prunedAt", "prunedBy", "requestedBy", "scope", "sha256", "startedAt", "status", "stoppedContainers", "storedAt", "timings", "ucpVersion", "verifiedAt", "verifyMessage", "verifyOk", "volumes", "warning" FROM "Backup";
DROP TABLE "Backup";
ALTER TABLE "new_Backup" RENAME TO "Backup";
CREATE INDEX "Backup_startedAt_idx" ON "Backup"("startedAt");
CREATE INDEX "Backup_nodeHostname_idx" ON "Backup"("nodeHostname");
CREATE INDEX "Backup_policyRunId_idx" ON "Backup"("policyRunId");
CREATE INDEX "Backup_policyId_idx" ON "Backup"("policyId");
CREATE INDEX "Backup_status_idx" ON "Backup"("status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

