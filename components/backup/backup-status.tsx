import { Badge, type BadgeTone } from '@/components/ui/badge';

import { isRunning } from '@/lib/jobs/job-states';

const tones: Record<string, BadgeTone> = { succeeded: 'good', warning: 'warn', failed: 'bad', cancelled: 'neutral', interrupted: 'warn', skipped: 'warn' };

/** A job's state, as the history records it: running states in blue, final ones by outcome. */
export function BackupStatus({ status }: { status: string }) {
  return <Badge tone={isRunning(status) ? 'info' : (tones[status] ?? 'neutral')}>{status}</Badge>;
}
