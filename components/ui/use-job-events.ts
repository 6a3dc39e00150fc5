'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import type { ProgressFigures } from '@/lib/jobs/progress-figures';

/**
 * Follows a running job through its server-sent events (GET /api/v1/jobs/{id}/events, read from its row
 * whichever process runs it); when it ends, refreshes the page, which the server renders with the result.
 * A null `jobId` follows nothing.
 */
export function useJobEvents(jobId: string | null, onProgress: (progress: ProgressFigures) => void) {
  const router = useRouter();
  const update = useRef(onProgress);
  useEffect(() => {
    update.current = onProgress;
  });
  useEffect(() => {
    if (!jobId) return;
    const source = new EventSource(`/api/v1/jobs/${encodeURIComponent(jobId)}/events`);
    source.addEventListener('progress', (event) => update.current(JSON.parse((event as MessageEvent<string>).data)));
    source.addEventListener('end', () => {
      source.close();
      router.refresh();
    });
    // The browser retries a dropped stream by itself; one it gave up on (signed out, say) leaves the page to the server.
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) router.refresh();
    });
    return () => source.close();
  }, [jobId, router]);
}
