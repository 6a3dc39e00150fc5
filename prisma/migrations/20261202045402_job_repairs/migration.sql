-- AlterTable
ALTER TABLE "Restore" ADD COLUMN "uploadId" TEXT;


-- Jobs the durable-jobs migration made for rows of the old vocabulary (owner 'before-jobs') lacked what
-- the lease rules read: their node's key, their quorum reservation (UCP stopped and not yet started
-- again), and a dry run's holding no node.
UPDATE "Job" SET
  "nodeKey" = (SELECT COALESCE("nodeId", "nodeHostname") FROM "Backup" WHERE "Backup"."id" = "Job"."id"),
  "stopsControlPlane" = (SELECT "containersStartedAt" IS NULL AND "stoppedContainers" LIKE '%"ucp-%' FROM "Backup" WHERE "Backup"."id" = "Job"."id")
  WHERE "ownerId" = 'before-jobs' AND "kind" = 'backup';
UPDATE "Job" SET
  "nodeKey" = (SELECT COALESCE("targetNodeId", "targetHostname") FROM "Restore" WHERE "Restore"."id" = "Job"."id"),
  "stopsControlPlane" = (SELECT "containersStartedAt" IS NULL AND "stoppedContainers" LIKE '%"ucp-%' FROM "Restore" WHERE "Restore"."id" = "Job"."id"),
  "holdsNode" = (SELECT NOT "dryRun" FROM "Restore" WHERE "Restore"."id" = "Job"."id")
  WHERE "ownerId" = 'before-jobs' AND "kind" = 'restore';
-- A finished job whose containers did not start again is a warning in the new vocabulary, not a success.
UPDATE "Job" SET "state" = 'warning' WHERE "ownerId" = 'before-jobs' AND "state" = 'succeeded';
UPDATE "Backup" SET "status" = 'warning' WHERE "status" = 'succeeded' AND "containersStartedAt" IS NULL AND "stoppedContainers" <> '[]';
UPDATE "Restore" SET "status" = 'warning' WHERE "status" = 'succeeded' AND "containersStartedAt" IS NULL AND "stoppedContainers" <> '[]';
