import { formatBytes } from '@/components/ui/format';
import type { Manifest } from '@/lib/archive/manifest';
import { plural } from '@/lib/plural';

/** Entries listed per volume: a volume of 100,000 files would make a page nobody reads (the API lists them all). */
const LISTED_ENTRIES = 1000;

/** What the archive holds, from its manifest: readable without the passphrase. */
export function ManifestContents({ manifest, backupId }: { manifest: Manifest; backupId: string }) {
  return (
    <div className="space-y-2 text-sm">
      <p className="text-slate-600">
        {plural(manifest.volumes.length, 'volume')} ·{' '}
        {plural(
          manifest.volumes.reduce((n, v) => n + v.files, 0),
          'file',
        )}{' '}
        · {formatBytes(manifest.volumes.reduce((n, v) => n + v.bytes, 0))} · format {manifest.formatVersion} · UCP {manifest.ucpVersion ?? 'unknown'} · containers described:{' '}
        {manifest.containers.join(', ') || 'none'}
      </p>
      {manifest.volumes.map((volume) => (
        <details key={volume.name} data-manifest-volume={volume.name} className="rounded border border-slate-200 px-3 py-1.5">
          <summary className="cursor-pointer">
            <span className="font-mono">{volume.name}</span>{' '}
            <span className="text-slate-500">
              {volume.files} files, {formatBytes(volume.bytes)}
            </span>
          </summary>
          <table className="mt-2 w-full text-left font-mono text-xs">
            <tbody>
              {volume.entries.slice(0, LISTED_ENTRIES).map((e) => (
                <tr key={e.path || '.'} className="border-t border-slate-100">
                  <td className="py-0.5 pr-3">{(e.mode & 0o7777).toString(8).padStart(4, '0')}</td>
                  <td className="py-0.5 pr-3">
                    {e.uid}:{e.gid}
                  </td>
                  <td className="py-0.5 pr-3 text-right">{e.type === 'file' ? e.size : ''}</td>
                  <td className="py-0.5 pr-3">
                    {e.path || '.'}
                    {e.type === 'directory' ? '/' : ''}
                    {e.linkname ? ` -> ${e.linkname}` : ''}
                  </td>
                  <td className="py-0.5 text-slate-500" title={e.sha256}>
                    {e.sha256?.slice(0, 12)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {volume.entries.length > LISTED_ENTRIES && (
            <p className="mt-1 text-xs text-slate-500">
              and {plural(volume.entries.length - LISTED_ENTRIES, 'more entry', 'more entries')}: <code>GET /api/v1/backups/{backupId}</code> lists them all
            </p>
          )}
        </details>
      ))}
    </div>
  );
}
