import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { Table } from '@/components/ui/table';
import type { NodeVolume } from '@/lib/cluster/node-volumes';

const columns = [{ label: 'Volume' }, { label: 'Kind' }, { label: 'Driver' }, { label: 'Size', align: 'right' as const }, { label: 'Used by' }];

/** `sizeOf` renders the size cell, so sizes can stream in after the rest of the table. */
export function VolumeTable({ volumes, sizeOf }: { volumes: NodeVolume[]; sizeOf: (name: string) => ReactNode }) {
  if (volumes.length === 0) return <p className="text-sm text-slate-500">This node has no volumes.</p>;
  return (
    <Table columns={columns}>
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
    </Table>
  );
}
