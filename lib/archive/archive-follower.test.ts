import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import { followArchive, type ArchiveOutcome } from './archive-follower';

const dirs: string[] = [];
function tempPaths() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'follower-'));
  dirs.push(dir);
  return { part: path.join(dir, 'a.part'), final: path.join(dir, 'a') };
}
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** The history as the follower sees it; the test moves it on. */
function history() {
  let now: ArchiveOutcome = { state: 'writing' };
  let asked = 0;
  return { outcome: async () => (asked++, now), set: (next: ArchiveOutcome) => (now = next), asked: () => asked };
}

async function untilAsked(h: ReturnType<typeof history>, times: number) {
  const start = h.asked();
  while (h.asked() < start + times) await new Promise((resolve) => setImmediate(resolve));
}

describe('followArchive', () => {
  it('follows a file that grows, across its rename, until the history records it stored', async () => {
    const paths = tempPaths();
    const h = history();
    const reading = text(followArchive(paths, h.outcome));
    await untilAsked(h, 1);
    fs.writeFileSync(paths.part, 'first ');
    await untilAsked(h, 2);
    fs.appendFileSync(paths.part, 'second');
    fs.renameSync(paths.part, paths.final);
    await untilAsked(h, 1);
    h.set({ state: 'stored', bytes: 12 });
    expect(await reading).toBe('first second');
  });

  it('serves an archive stored before it started', async () => {
    const paths = tempPaths();
    fs.writeFileSync(paths.final, '0123456789');
    const h = history();
    h.set({ state: 'stored', bytes: 10 });
    expect(await text(followArchive(paths, h.outcome))).toBe('0123456789');
  });

  it('keeps a reader waiting after the last byte until the history says stored', async () => {
    const paths = tempPaths();
    fs.writeFileSync(paths.part, 'whole');
    const h = history();
    let ended = false;
    const reading = text(followArchive(paths, h.outcome)).then((t) => ((ended = true), t));
    await untilAsked(h, 3);
    expect(ended).toBe(false);
    h.set({ state: 'stored', bytes: 5 });
    expect(await reading).toBe('whole');
  });

  it('sends nothing while the history holds readers back, then everything', async () => {
    const paths = tempPaths();
    fs.writeFileSync(paths.part, 'already written');
    const h = history();
    h.set({ state: 'writing', held: true });
    const received: Buffer[] = [];
    const follower = followArchive(paths, h.outcome);
    const ended = new Promise((resolve) => follower.on('end', resolve));
    follower.on('data', (chunk: Buffer) => received.push(chunk));
    await untilAsked(h, 3);
    expect(received).toEqual([]);
    h.set({ state: 'writing' });
    while (received.length === 0) await new Promise((resolve) => setImmediate(resolve));
    fs.appendFileSync(paths.part, ', and more');
    h.set({ state: 'stored', bytes: 25 });
    await ended;
    expect(Buffer.concat(received).toString()).toBe('already written, and more');
  });

  it('fails the reader when the backup fails, even after bytes were read', async () => {
    const paths = tempPaths();
    fs.writeFileSync(paths.part, 'partial');
    const h = history();
    const reading = text(followArchive(paths, h.outcome));
    await untilAsked(h, 1);
    h.set({ state: 'failed', reason: 'the engine died' });
    await expect(reading).rejects.toThrow('the backup failed: the engine died');
  });

  it('fails when the stored file is shorter than the history records', async () => {
    const paths = tempPaths();
    fs.writeFileSync(paths.final, 'short');
    const h = history();
    h.set({ state: 'stored', bytes: 99 });
    await expect(text(followArchive(paths, h.outcome))).rejects.toThrow('the archive has 5 bytes, not the 99 the history records');
  });
});
