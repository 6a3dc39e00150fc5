-- CreateTable
CREATE TABLE "EncryptionKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "fingerprint" TEXT NOT NULL,
    "userIds" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL,
    "keyCreatedAt" DATETIME NOT NULL,
    "expiresAt" DATETIME,
    "armored" TEXT NOT NULL,
    "addedBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "EncryptionKey_fingerprint_key" ON "EncryptionKey"("fingerprint");

-- AlterTable: every archive before this one was encrypted with a passphrase alone.
ALTER TABLE "Backup" ADD COLUMN "encryptedTo" TEXT NOT NULL DEFAULT '{"passphrase":true,"keys":[]}';
