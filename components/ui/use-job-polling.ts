'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';

/** Polls a job's JSON (read from its row, whichever process runs it) every second while it runs; when it ends, refreshes the page (the server renders the result). */
export function useJobPolling<T extends { running: boolean }>(url: string, onUpdate: (job: T) => void) {
  const router = useRouter();
  const update = useRef(onUpdate);
  useEffect(() => {
    update.current = onUpdate;
  });
  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      const response = await fetch(url, { cache: 'no-store' }).catch(() => null);
      const job: T | null = response?.ok ? await response.json() : null;
      if (stopped) return;
      if (!job || !job.running) return router.refresh();
      update.current(job);
      setTimeout(poll, 1000);
    };
    poll();
    return () => {
      stopped = true;
    };
  }, [url, router]);
}
