import { formatDuration } from '@/components/ui/format';
import type { ProgressFigures } from '@/lib/jobs/progress-figures';

/** The live downtime counter of a job's stop window: running while its containers are stopped, then how long they were. */
export function Downtime({ progress }: { progress: ProgressFigures }) {
  if (progress.downForMs === null) return null;
  const down = progress.downMs == null;
  return (
    <p data-testid="downtime" className={down ? 'font-medium text-amber-800' : 'text-slate-600'}>
      {down ? `Containers stopped for ${formatDuration(progress.downForMs)} so far` : `Containers were stopped ${formatDuration(progress.downForMs)}; they run again`}
    </p>
  );
}
