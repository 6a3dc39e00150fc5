import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { newSpoolIv, newSpoolKey, spoolOpener, spoolSealer } from './spool-cipher';

const plaintext = randomBytes(300_000);

async function seal(key: Buffer, iv: Buffer) {
  const sealer = spoolSealer(key, iv);
  const sealed = buffer(sealer);
  await pipeline(Readable.from([plaintext.subarray(0, 1000), plaintext.subarray(1000)]), sealer);
  return { sealed: await sealed, tag: sealer.tag() };
}

describe('the spool cipher', () => {
  it('leaves no plaintext in what it writes, and opens it again', async () => {
    const [key, iv] = [newSpoolKey(), newSpoolIv()];
    const { sealed, tag } = await seal(key, iv);
    expect(sealed.length).toBe(plaintext.length);
    expect(sealed.subarray(0, 64).equals(plaintext.subarray(0, 64))).toBe(false);
    expect((await buffer(Readable.from([sealed]).pipe(spoolOpener(key, iv, tag)))).equals(plaintext)).toBe(true);
  });

  it('fails at the end, instead of ending, when one byte was changed on disk', async () => {
    const [key, iv] = [newSpoolKey(), newSpoolIv()];
    const { sealed, tag } = await seal(key, iv);
    sealed[123_456] ^= 0x01;
    await expect(pipeline(Readable.from([sealed]), spoolOpener(key, iv, tag), async function* (source) {
      for await (const chunk of source) yield chunk;
    })).rejects.toThrow('a spool file was changed on disk while the job ran');
  });

  it('fails when the file is cut short', async () => {
    const [key, iv] = [newSpoolKey(), newSpoolIv()];
    const { sealed, tag } = await seal(key, iv);
    await expect(buffer(Readable.from([sealed.subarray(0, 200_000)]).pipe(spoolOpener(key, iv, tag)))).rejects.toThrow('changed on disk');
  });
});
