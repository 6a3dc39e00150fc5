'use client';

import { useJobProgress } from '@/components/ui/job-progress';
import { isRunning } from '@/lib/jobs/job-states';
import { BackupStatus } from './backup-status';

/** A job's badge on its own page: its live state while it runs; once it ends, the state the refreshed page was rendered with. */
export function LiveStatus({ status }: { status: string }) {
  const progress = useJobProgress();
  return <BackupStatus status={isRunning(status) && progress ? progress.state : status} />;
}
