'use client';

import { Downtime } from '@/components/backup/downtime';
import { formatBytes, formatDuration } from '@/components/ui/format';
import { useJobProgress } from '@/components/ui/job-progress';

/** A restore's steps in order, as its states name them. */
const STEPS = [
  { state: 'checking', label: 'Verify the whole archive (nothing is changed yet)' },
  { state: 'stopping', label: 'Stop the containers that use the volumes' },
  { state: 'copying', label: 'Safety copy of what will be replaced (put back if writing fails)' },
  { state: 'writing', label: 'Write the volumes' },
  { state: 'starting', label: 'Start the containers again' },
  { state: 'encrypting', label: 'Keep the safety copy as a backup' },
] as const;

/** A running restore (or verification) as the server pushes it (its page's JobProgressProvider): its steps, bytes and the live downtime. */
export function RestoreProgress({ initialPhase, dryRun }: { initialPhase: string; dryRun: boolean }) {
  const progress = useJobProgress();
  const state = progress?.state ?? initialPhase;
  const steps = dryRun ? STEPS.slice(0, 1) : STEPS;
  const at = steps.findIndex((s) => s.state === state);
  return (
    <div data-testid="restore-progress" className="space-y-2 text-sm">
      <p className="sr-only" aria-live="polite">
        {steps[at]?.label ?? state}
      </p>
      <ol className="space-y-0.5">
        {steps.map((step, index) => (
          <li
            key={step.state}
            data-step={step.state}
            aria-current={index === at ? 'step' : undefined}
            className={index === at ? 'font-medium text-sky-800' : index < at ? 'text-slate-500 line-through decoration-slate-300' : 'text-slate-500'}
          >
            {index + 1}. {step.label}
            {index === at && '…'}
          </li>
        ))}
      </ol>
      {progress && (
        <p className="text-slate-600">
          {state === 'copying' && progress.bytesRead > 0 && <>{formatBytes(progress.bytesRead)} copied · </>}
          {formatDuration(progress.elapsedMs)} in all
        </p>
      )}
      {progress && <Downtime progress={progress} />}
    </div>
  );
}
