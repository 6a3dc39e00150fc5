'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';

const phases: Record<string, string> = {
  verifying: 'Verifying the whole archive (nothing is changed yet)',
  'safety-backup': 'Backing up what will be replaced (the undo)',
  stopping: 'Stopping the containers that use the volumes',
  writing: 'Writing the volumes',
  starting: 'Starting the containers again',
  done: 'Done',
};

/** Follows a running restore and refreshes the page when it ends. */
export function RestoreProgress({ restoreId, initialPhase }: { restoreId: string; initialPhase: string }) {
  const router = useRouter();
  const [phase, setPhase] = useState(initialPhase);
  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      const response = await fetch(`/api/v1/restores/${restoreId}`, { cache: 'no-store' }).catch(() => null);
      const body = response?.ok ? await response.json() : null;
      if (stopped) return;
      if (!body || body.status !== 'running') return router.refresh();
      setPhase(body.phase);
      setTimeout(poll, 1000);
    };
    poll();
    return () => {
      stopped = true;
    };
  }, [restoreId, router]);
  return (
    <p aria-live="polite" data-testid="restore-progress" className="text-sm font-medium">
      {phases[phase] ?? phase}…
    </p>
  );
}
