import { describe, expect, it } from 'vitest';
import { progressFigures, type JobProgress } from './progress-figures';

const base: JobProgress = { volume: 'ucp-kv', volumeIndex: 3, volumeCount: 14, bytesRead: 0, bytesTotal: 100_000_000, encryptedBytes: 0, startedAt: 1_000 };

describe('progressFigures', () => {
  it('counts the rate from the start of the copy, not from the stop before it', () => {
    const figures = progressFigures({ ...base, bytesRead: 20_000_000, stateSince: 11_000, downSince: 10_000 }, 'copying', 13_000);
    expect(figures.rate).toBe(10_000_000);
    expect(figures.etaMs).toBe(8_000);
    expect(figures.downForMs).toBe(3_000);
    expect(figures.elapsedMs).toBe(12_000);
  });

  it('never shows a full bar while the copy runs, even past the estimate', () => {
    expect(progressFigures({ ...base, bytesRead: 150_000_000, stateSince: 1_000 }, 'copying', 5_000).share).toBe(0.99);
    expect(progressFigures({ ...base, bytesRead: 150_000_000, stateSince: 1_000 }, 'starting', 5_000).share).toBe(1);
  });

  it('gives no rate nor ETA before the copy has run half a second, or before it has read anything', () => {
    const early = progressFigures({ ...base, bytesRead: 1_000, stateSince: 4_800 }, 'copying', 5_000);
    expect(early.rate).toBeNull();
    expect(early.etaMs).toBeNull();
    const idle = progressFigures({ ...base, bytesRead: 0, stateSince: 1_000 }, 'copying', 5_000);
    expect(idle.rate).toBeNull();
    expect(idle.etaMs).toBeNull();
  });

  it('keeps the downtime once the containers run again, and has none when nothing stopped', () => {
    expect(progressFigures({ ...base, downSince: 2_000, downMs: 4_200 }, 'encrypting', 60_000).downForMs).toBe(4_200);
    expect(progressFigures(base, 'checking', 60_000).downForMs).toBeNull();
  });
});
