-- AlterTable
ALTER TABLE "Backup" ADD COLUMN "policyId" TEXT;
ALTER TABLE "Backup" ADD COLUMN "policyName" TEXT;
ALTER TABLE "Backup" ADD COLUMN "policyRunId" TEXT;
ALTER TABLE "Backup" ADD COLUMN "prunedAt" DATETIME;
ALTER TABLE "Backup" ADD COLUMN "prunedBy" TEXT;

-- CreateTable
CREATE TABLE "Policy" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "node" TEXT,
    "scope" TEXT NOT NULL DEFAULT 'ucp',
    "keys" TEXT NOT NULL,
    "missedRuns" TEXT NOT NULL DEFAULT 'run-once',
    "verify" BOOLEAN NOT NULL DEFAULT true,
    "keepLast" INTEGER,
    "keepDaily" INTEGER,
    "keepWeekly" INTEGER,
    "keepMonthly" INTEGER,
    "outageConsent" BOOLEAN NOT NULL DEFAULT false,
    "businessDays" TEXT NOT NULL DEFAULT '1,2,3,4,5',
    "businessStart" INTEGER NOT NULL DEFAULT 480,
    "businessEnd" INTEGER NOT NULL DEFAULT 1080,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "scheduleFrom" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastScheduledFor" DATETIME,
    "lastRotated" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PolicyRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "policyId" TEXT NOT NULL,
    "scheduledFor" DATETIME NOT NULL,
    "trigger" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'running',
    "message" TEXT,
    "ownerId" TEXT NOT NULL,
    "heartbeatAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    CONSTRAINT "PolicyRun_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "Policy" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Policy_name_key" ON "Policy"("name");

-- CreateIndex
CREATE INDEX "PolicyRun_state_idx" ON "PolicyRun"("state");

-- CreateIndex
CREATE UNIQUE INDEX "PolicyRun_policyId_scheduledFor_key" ON "PolicyRun"("policyId", "scheduledFor");

-- CreateIndex
CREATE INDEX "Backup_policyRunId_idx" ON "Backup"("policyRunId");

-- CreateIndex
CREATE INDEX "Backup_policyId_idx" ON "Backup"("policyId");

