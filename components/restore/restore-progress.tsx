'use client';

import { useState } from 'react';
import { useJobPolling } from '@/components/ui/use-job-polling';

const phases: Record<string, string> = {
  queued: 'Waiting to start',
  checking: 'Verifying the whole archive (nothing is changed yet)',
  stopping: 'Stopping the containers that use the volumes',
  copying: 'Copying what will be replaced, to put it back if writing fails (the containers are stopped)',
  writing: 'Writing the volumes (if this fails, the copy is put back before anything starts)',
  starting: 'Starting the containers again',
  encrypting: 'Keeping the copy as a safety backup (the containers run again)',
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
