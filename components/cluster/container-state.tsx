import type { UcpContainerState } from '@/lib/cluster/types';

export function ContainerStateList({ containers }: { containers: UcpContainerState[] }) {
  if (containers.length === 0) return <p className="text-xs text-slate-500">No UCP containers on this node.</p>;
  return (
    <ul className="grid grid-cols-1 gap-x-4 gap-y-0.5 text-xs sm:grid-cols-2">
      {containers.map((c) => (
        <li key={c.name} className="flex items-center gap-1.5" title={c.status}>
          <span aria-hidden className={`h-2 w-2 rounded-full ${c.state === 'running' ? 'bg-emerald-500' : 'bg-red-500'}`} />
          <span className="font-mono">{c.name}</span>
          <span className="text-slate-500">{c.state}</span>
        </li>
      ))}
    </ul>
  );
}
