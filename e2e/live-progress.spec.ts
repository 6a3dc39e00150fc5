// Progress pushed to the page (server-sent events read from the job's row): volume k of n, bytes, rate,
// ETA and a live downtime counter, then the end, after which the page shows the result.
import { expect, test } from '@playwright/test';
import { withMountedBulkVolume } from './support/bulk-volume';

type Figures = {
  state: string;
  volumeIndex: number;
  volumeCount: number;
  bytesRead: number;
  share: number | null;
  rate: number | null;
  etaMs: number | null;
  downForMs: number | null;
  downMs?: number | null;
};

/** Reads a job's events until its `end`: every `progress` event's figures, in order. */
async function followEvents(id: string): Promise<{ events: Figures[]; ended: boolean }> {
  const response = await fetch(`${process.env.LIFEBOAT_BASE_URL}/api/v1/jobs/${id}/events`, { headers: { Authorization: `Bearer ${process.env.LIFEBOAT_API_TOKEN}` } });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events: Figures[] = [];
  let text = '';
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    text += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = text.indexOf('\n\n')) >= 0) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const name = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (name === 'end') return { events, ended: true };
      if (name === 'progress' && data) events.push(JSON.parse(data));
    }
  }
  return { events, ended: false };
}

test('a running backup pushes volume k of n, bytes, rate, ETA and a live downtime to its page, then its end', async ({ page }) => {
  test.setTimeout(120_000);
  const node = 'worker-1';
  const volume = 'lifeboat-e2e-progress';
  await withMountedBulkVolume(node, { volume, container: 'lifeboat-e2e-progress-user' }, 384, async () => {
    const response = await fetch(`${process.env.LIFEBOAT_BASE_URL}/api/v1/backups`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${process.env.LIFEBOAT_API_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ node, passphrase: 'live progress passphrase', volumes: [volume], stopUserContainers: true }),
    });
    const id = response.headers.get('x-backup-id')!;
    const following = followEvents(id);
    // The archive streams to the caller as it is written: drained here, never held.
    const download = response.body!.pipeTo(new WritableStream());

    await page.goto(`/backups/${id}`);
    const progress = page.getByTestId('backup-progress');
    // busybox's sleep ignores SIGTERM: its container takes the engine's 10 s grace to stop, the counter running meanwhile.
    await expect(page.getByTestId('downtime')).toContainText('Containers stopped for', { timeout: 30_000 });
    await expect(progress.locator('[data-progress="volume"]')).toHaveText(`Volume 1 of 1: ${volume} · `, { timeout: 30_000 });
    await expect(page.getByText('succeeded', { exact: true })).toBeVisible({ timeout: 90_000 });
    await expect(page.getByTestId('backup-progress')).toHaveCount(0);

    const { events, ended } = await following;
    await download;
    expect(ended).toBe(true);
    const copying = events.filter((e) => e.state === 'copying');
    expect(copying.length).toBeGreaterThan(1);
    // Until the engine hands over the first volume, the copy has no volume to name.
    const named = copying.filter((e) => e.volumeIndex > 0);
    expect(named.length).toBeGreaterThan(0);
    expect(named.every((e) => e.volumeIndex === 1 && e.volumeCount === 1)).toBe(true);
    // The bar never says "done" while the copy runs, and the downtime counts up while the container is stopped.
    expect(copying.every((e) => e.share !== null && e.share < 1)).toBe(true);
    const downs = copying.map((e) => e.downForMs!);
    expect(downs.every((ms, i) => ms > 0 && (i === 0 || ms >= downs[i - 1]))).toBe(true);
    const timed = copying.filter((e) => e.rate !== null);
    expect(timed.length).toBeGreaterThan(0);
    expect(timed.every((e) => e.rate! > 0 && e.etaMs !== null)).toBe(true);
    // Once the container runs again, the downtime is what it was, and stays.
    const after = events.filter((e) => e.state === 'encrypting' && e.downMs != null);
    expect(new Set(after.map((e) => e.downForMs)).size).toBeLessThanOrEqual(1);
  });
});
