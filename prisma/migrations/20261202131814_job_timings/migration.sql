-- AlterTable
ALTER TABLE "Backup" ADD COLUMN "timings" TEXT;

-- AlterTable
ALTER TABLE "Restore" ADD COLUMN "timings" TEXT;

