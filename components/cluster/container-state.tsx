import Link from 'next/link';
import type { UcpContainerState } from '@/lib/cluster/types';
import { isUcpService } from '@/lib/cluster/ucp';
import { plural } from '@/lib/plural';

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

/** A node's UCP at a glance, for the overview: its long-running containers in one line, the node page for the rest. */
export function ContainerStateLine({ containers, href }: { containers: UcpContainerState[]; href: string }) {
  const services = containers.filter(isUcpService);
  if (services.length === 0) return <p className="text-xs text-slate-500">No UCP containers on this node.</p>;
  const down = services.filter((c) => c.state !== 'running');
  return (
    <p data-testid="ucp-line" className="flex flex-wrap items-center gap-1.5 text-xs">
      <span aria-hidden className={`h-2 w-2 rounded-full ${down.length === 0 ? 'bg-emerald-500' : 'bg-red-500'}`} />
      <span>
        {down.length === 0
          ? `UCP: all ${plural(services.length, 'container')} running`
          : `UCP: ${services.length - down.length} of ${plural(services.length, 'container')} running; not running: ${down.map((c) => `${c.name} (${c.state})`).join(', ')}`}
      </span>
      <Link href={href} className="text-sky-800 hover:underline">
        details
      </Link>
    </p>
  );
}
