'use client';

import { createContext, useContext, useState, type ReactNode } from 'react';
import type { ProgressFigures } from '@/lib/jobs/progress-figures';
import { useJobEvents } from './use-job-events';

const JobProgressContext = createContext<ProgressFigures | null>(null);

/**
 * One events stream for a job's page: everything on it that shows the job live (its badge, its progress)
 * reads the same figures. `running`: the page was rendered while the job ran; a finished job has no stream.
 */
export function JobProgressProvider({ jobId, running, children }: { jobId: string; running: boolean; children: ReactNode }) {
  const [progress, setProgress] = useState<ProgressFigures | null>(null);
  useJobEvents(running ? jobId : null, setProgress);
  return <JobProgressContext value={progress}>{children}</JobProgressContext>;
}

/** The running job's latest figures, or null before the first event (or outside a JobProgressProvider). */
export function useJobProgress(): ProgressFigures | null {
  return useContext(JobProgressContext);
}
