import 'server-only';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { followArchive } from '@/lib/archive/archive-follower';
import { archivePaths } from '@/lib/archive/archive-store';
import { archiveOutcome } from '@/lib/history/backup-history';

const ARCHIVE_TYPE = 'application/pgp-encrypted';
// Next.js strips Content-Length from route handler responses; scripts/serve.mjs restores it from this.
const LENGTH_HANDOVER = 'X-Lifeboat-Content-Length';

function dispositionOf(fileName: string) {
  return `attachment; filename="${fileName.replace(/["\\\r\n]/g, '_')}"`;
}

/**
 * The archive of backup `id` as it is being written, by this process or another: chunked, no length.
 * If the job fails, the body errors and the connection is reset, so no client can take a truncated
 * file for a whole one.
 */
export function followingArchiveResponse(id: string, fileName: string, headers: Record<string, string> = {}) {
  const body = followArchive(archivePaths(id), () => archiveOutcome(id));
  return new Response(headersAtOnce(Readable.toWeb(body) as ReadableStream<Uint8Array>), {
    headers: { 'Content-Type': ARCHIVE_TYPE, 'Content-Disposition': dispositionOf(fileName), 'Cache-Control': 'no-store', ...headers },
  });
}

/**
 * Next.js sends the headers with the first chunk, and the first encrypted bytes may be seconds away:
 * an empty first chunk lets the client see the response (and X-Backup-Id) at once.
 */
function headersAtOnce(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    start: (controller) => controller.enqueue(new Uint8Array(0)),
    pull: async (controller) => {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** A stored archive, with its length, an ETag (its SHA-256) and single-range requests, so downloads resume. */
export function storedArchiveResponse(request: Request, archive: { path: string; size: number; sha256: string; fileName: string }) {
  const etag = `"${archive.sha256}"`;
  const base = {
    'Content-Type': ARCHIVE_TYPE,
    'Content-Disposition': dispositionOf(archive.fileName),
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Cache-Control': 'private, no-cache',
  };
  if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers: { ETag: etag } });

  const ifRange = request.headers.get('if-range');
  const range = ifRange && ifRange !== etag ? null : parseRange(request.headers.get('range'), archive.size);
  if (range === 'unsatisfiable') {
    return new Response(null, { status: 416, headers: { ...base, 'Content-Range': `bytes */${archive.size}` } });
  }
  const [start, end] = range ?? [0, archive.size - 1];
  const length = archive.size === 0 ? 0 : end - start + 1;
  const headers = { ...base, [LENGTH_HANDOVER]: String(length), ...(range ? { 'Content-Range': `bytes ${start}-${end}/${archive.size}` } : {}) };
  const body =
    request.method === 'HEAD' || length === 0
      ? null
      : (Readable.toWeb(fs.createReadStream(archive.path, { start, end, highWaterMark: 1024 * 1024 })) as ReadableStream<Uint8Array>);
  return new Response(body, { status: range ? 206 : 200, headers });
}

/** One `bytes=` range, as [first, last] inclusive; null to send the whole file. */
export function parseRange(header: string | null, size: number): [number, number] | null | 'unsatisfiable' {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return [start, end];
}
