import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { newSpoolIv, newSpoolKey, spoolOpener, spoolSealer } from './spool-cipher';

const plaintext = randomBytes(300_000);
/** Small segments, so that the tests cross segment boundaries (spools use 16 GiB). */
const SEGMENT = 64 * 1024;

async function seal(data: Buffer, segmentBytes?: number) {
  const [key, iv] = [newSpoolKey(), newSpoolIv()];
  const sealer = spoolSealer(key, iv, segmentBytes);
  const sealed = buffer(sealer);
  await pipeline(Readable.from([data.subarray(0, 1000), data.subarray(1000)]), sealer);
  return { key, iv, sealed: await sealed, tag: sealer.tag() };
}

function open({ key, iv, tag }: { key: Buffer; iv: Buffer; tag: Buffer }, sealed: Buffer, segmentBytes?: number) {
  return buffer(Readable.from([sealed]).pipe(spoolOpener(key, iv, tag, segmentBytes)));
}

describe('the spool cipher', () => {
  it('leaves no plaintext in what it writes, and opens it again', async () => {
    const spool = await seal(plaintext);
    expect(spool.sealed.length).toBe(plaintext.length);
    expect(spool.sealed.subarray(0, 64).equals(plaintext.subarray(0, 64))).toBe(false);
    expect((await open(spool, spool.sealed)).equals(plaintext)).toBe(true);
  });

  it('opens a spool sealed in several segments, also one that ends on a boundary', async () => {
    for (const data of [plaintext, plaintext.subarray(0, 4 * SEGMENT)]) {
      const spool = await seal(data, SEGMENT);
      expect((await open(spool, spool.sealed, SEGMENT)).equals(data)).toBe(true);
    }
  });

  it('fails at the end, instead of ending, when one byte was changed on disk', async () => {
    const spool = await seal(plaintext, SEGMENT);
    spool.sealed[123_456] ^= 0x01;
    await expect(open(spool, spool.sealed, SEGMENT)).rejects.toThrow('a spool file was changed on disk while the job ran');
  });

  it('fails when the file is cut short, also on a segment boundary', async () => {
    const spool = await seal(plaintext, SEGMENT);
    await expect(open(spool, spool.sealed.subarray(0, 200_000), SEGMENT)).rejects.toThrow('changed on disk');
    await expect(open(spool, spool.sealed.subarray(0, 2 * SEGMENT), SEGMENT)).rejects.toThrow('changed on disk');
  });

  it('fails when bytes were added', async () => {
    const spool = await seal(plaintext, SEGMENT);
    await expect(open(spool, Buffer.concat([spool.sealed, randomBytes(SEGMENT + 10)]), SEGMENT)).rejects.toThrow('changed on disk');
  });

  it('has no tag to give before it has sealed everything', () => {
    expect(() => spoolSealer(newSpoolKey(), newSpoolIv()).tag()).toThrow('the spool is not sealed yet');
  });
});
