'use client';

import { useState } from 'react';
import { useJobPolling } from '@/components/ui/use-job-polling';

const phases: Record<string, string> = {
  queued: 'Waiting to start',
  checking: 'Verifying the whole archive (nothing is changed yet)',
  copying: 'Backing up what will be replaced (the undo)',
  stopping: 'Stopping the containers that use the volumes',
  writing: 'Writing the volumes',
  starting: 'Starting the containers again',
};

/** Follows a running restore and refreshes the page when it ends. */
export function RestoreProgress({ restoreId, initialPhase }: { restoreId: string; initialPhase: string }) {
  const [phase, setPhase] = useState(initialPhase);
  useJobPolling<{ running: boolean; phase: string }>(`/api/v1/restores/${restoreId}`, (job) => setPhase(job.phase));
  return (
    <p aria-live="polite" data-testid="restore-progress" className="text-sm font-medium">
      {phases[phase] ?? phase}…
    </p>
  );
}
