-- AlterTable
ALTER TABLE "Backup" ADD COLUMN "verifiedAt" DATETIME;
ALTER TABLE "Backup" ADD COLUMN "verifyMessage" TEXT;
ALTER TABLE "Backup" ADD COLUMN "verifyOk" BOOLEAN;

-- CreateTable
CREATE TABLE "Restore" (
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
    "status" TEXT NOT NULL DEFAULT 'running',
    "phase" TEXT NOT NULL DEFAULT 'verifying',
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

-- CreateIndex
CREATE INDEX "Restore_startedAt_idx" ON "Restore"("startedAt");

-- CreateIndex
CREATE INDEX "Restore_status_idx" ON "Restore"("status");

