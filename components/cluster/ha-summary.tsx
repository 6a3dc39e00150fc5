import type { ClusterOverview } from '@/lib/cluster/types';

function plural(n: number, word: string) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "3 controllers, tolerates 1 down": the seed's high-availability advice as one line. */
function haLine(controllers: number, tolerates: number) {
  return `${plural(controllers, 'controller')}, tolerates ${tolerates} down`;
}

export function HaSummary({ overview }: { overview: ClusterOverview }) {
  const { controllers, tolerates, controllersDown, swarmError } = overview;
  const atRisk = controllersDown > tolerates;
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-700" data-testid="ha-line">
        <span className="font-semibold">{haLine(controllers, tolerates)}</span>
        {controllersDown > 0 && (
          <span className={atRisk ? 'text-red-700' : 'text-amber-800'}>
            {' '}
            · {controllersDown} down now{atRisk ? ': the control plane has lost its majority' : ''}
          </span>
        )}
        {controllers > 0 && controllers < 3 && <span className="text-amber-800"> · with fewer than 3 controllers, a backup stops the control plane</span>}
      </p>
      {swarmError && (
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          No swarm manager could list the nodes ({swarmError}). Showing what each engine reports about itself.
        </p>
      )}
    </div>
  );
}
