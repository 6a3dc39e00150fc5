import { BackupStatus } from '@/components/backup/backup-status';

/** Restores end in the same states as backups: running, succeeded, failed, interrupted. */
export const RestoreStatusBadge = BackupStatus;
