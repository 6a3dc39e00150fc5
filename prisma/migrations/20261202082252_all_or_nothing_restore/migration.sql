-- AlterTable
ALTER TABLE "Restore" ADD COLUMN "attention" TEXT;
ALTER TABLE "Restore" ADD COLUMN "undo" TEXT;
ALTER TABLE "Restore" ADD COLUMN "volumesState" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "nodeKey" TEXT,
    "hostname" TEXT,
    "holdsNode" BOOLEAN NOT NULL DEFAULT false,
    "stopsControlPlane" BOOLEAN NOT NULL DEFAULT false,
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
INSERT INTO "new_Job" ("cancelRequestedAt", "createdAt", "fence", "finishedAt", "heartbeatAt", "holdsNode", "hostname", "id", "kind", "nodeKey", "ownerId", "ownerPid", "progress", "releasedAt", "state", "stopsControlPlane") SELECT "cancelRequestedAt", "createdAt", "fence", "finishedAt", "heartbeatAt", "holdsNode", "hostname", "id", "kind", "nodeKey", "ownerId", "ownerPid", "progress", "releasedAt", "state", "stopsControlPlane" FROM "Job";
DROP TABLE "Job";
ALTER TABLE "new_Job" RENAME TO "Job";
CREATE INDEX "Job_releasedAt_idx" ON "Job"("releasedAt");
CREATE INDEX "Job_state_idx" ON "Job"("state");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

