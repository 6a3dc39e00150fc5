-- CreateTable
CREATE TABLE "Backup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL DEFAULT 'manual',
    "nodeId" TEXT,
    "nodeHostname" TEXT NOT NULL,
    "endpointId" TEXT,
    "volumes" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "note" TEXT,
    "requestedBy" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "phase" TEXT NOT NULL DEFAULT 'preparing',
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
    "containersStartedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "Backup_startedAt_idx" ON "Backup"("startedAt");

-- CreateIndex
CREATE INDEX "Backup_nodeHostname_idx" ON "Backup"("nodeHostname");

-- CreateIndex
CREATE INDEX "Backup_status_idx" ON "Backup"("status");

