-- CreateTable
CREATE TABLE "LoginThrottle" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "attempts" INTEGER NOT NULL,
    "windowStart" DATETIME NOT NULL,
    "lockedUntil" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Endpoint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "caPem" TEXT,
    "certPem" TEXT,
    "keySealed" TEXT,
    "plainTcp" BOOLEAN NOT NULL DEFAULT false,
    "origin" TEXT NOT NULL DEFAULT 'user',
    "lastHostname" TEXT,
    "lastNodeId" TEXT,
    "lastRole" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Endpoint" ("caPem", "certPem", "createdAt", "id", "keySealed", "lastHostname", "lastNodeId", "lastRole", "name", "origin", "updatedAt", "url") SELECT "caPem", "certPem", "createdAt", "id", "keySealed", "lastHostname", "lastNodeId", "lastRole", "name", "origin", "updatedAt", "url" FROM "Endpoint";
DROP TABLE "Endpoint";
ALTER TABLE "new_Endpoint" RENAME TO "Endpoint";
-- Endpoints added before the consent existed: tcp:// without a client key is plain TCP, and is shown so.
UPDATE "Endpoint" SET "plainTcp" = true WHERE "url" LIKE 'tcp://%' AND "keySealed" IS NULL;
CREATE UNIQUE INDEX "Endpoint_name_key" ON "Endpoint"("name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

