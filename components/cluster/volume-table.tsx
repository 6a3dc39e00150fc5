import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import type { NodeVolume } from '@/lib/cluster/node-volumes';

/** `sizeOf` renders the size cell, so sizes can stream in after the rest of the table. */
export function VolumeTable({ volumes, sizeOf }: { volumes: NodeVolume[]; sizeOf: (name: string) => ReactNode }) {
  if (volumes.length === 0) return <p className="text-sm text-slate-500">This node has no volumes.</p>;
  return (
    <table className="w-full text-left text-sm">
      <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
        <tr>
          <th className="py-2 pr-3">Volume</th>
          <th className="py-2 pr-3">Kind</th>
          <th className="py-2 pr-3">Driver</th>
          <th className="py-2 pr-3 text-right">Size</th>
          <th className="py-2">Used by</th>
        </tr>
      </thead>
      <tbody>
        {volumes.map((v) => (
          <tr key={v.name} data-volume={v.name} className="border-b border-slate-100 align-top">
            <td className="py-1.5 pr-3 font-mono">{v.name}</td>
            <td className="py-1.5 pr-3">{v.ucp ? <Badge tone="info">UCP</Badge> : <Badge>user</Badge>}</td>
            <td className="py-1.5 pr-3">{v.driver}</td>
            <td className="py-1.5 pr-3 text-right tabular-nums" data-size>
              {sizeOf(v.name)}
            </td>
            <td className="py-1.5 text-xs">
              {v.usedBy.length === 0
                ? '—'
                : v.usedBy.map((c) => (
                    <span key={c.name} className="mr-2 inline-block font-mono">
                      {c.name}
                      <span className="text-slate-500"> ({c.state})</span>
                    </span>
                  ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
