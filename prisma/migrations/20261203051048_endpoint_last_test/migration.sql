-- AlterTable
ALTER TABLE "Endpoint" ADD COLUMN "lastTestAt" DATETIME;
ALTER TABLE "Endpoint" ADD COLUMN "lastTestMessage" TEXT;
ALTER TABLE "Endpoint" ADD COLUMN "lastTestOk" BOOLEAN;

