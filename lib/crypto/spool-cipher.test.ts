import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { newSpoolIv, newSpoolKey, spoolOpener, spoolSealer } from './spool-cipher';

const plaintext = randomBytes(300_000);
/** Small records, so that the tests cross record boundaries (spools use 1 MiB). */
const RECORD = 64 * 1024;
const SEALED_RECORD = RECORD + 16;

async function seal(data: Buffer, recordBytes = RECORD) {
  const [key, iv] = [newSpoolKey(), newSpoolIv()];
  const sealer = spoolSealer(key, iv, recordBytes);
  const sealed = buffer(sealer);
  await pipeline(Readable.from([data.subarray(0, 1000), data.subarray(1000)]), sealer);
  return { key, iv, sealed: await sealed, records: sealer.records() };
}

function open({ key, iv, records }: { key: Buffer; iv: Buffer; records: number }, sealed: Buffer, recordBytes = RECORD) {
  return buffer(Readable.from([sealed]).pipe(spoolOpener(key, iv, records, recordBytes)));
}

describe('the spool cipher', () => {
  it('leaves no plaintext in what it writes, and opens it again', async () => {
    const spool = await seal(plaintext);
    expect(spool.records).toBe(Math.ceil(plaintext.length / RECORD));
    expect(spool.sealed.length).toBe(plaintext.length + 16 * spool.records);
    expect(spool.sealed.subarray(0, 64).equals(plaintext.subarray(0, 64))).toBe(false);
    expect((await open(spool, spool.sealed)).equals(plaintext)).toBe(true);
  });

  it('opens a spool that ends on a record boundary, and an empty one', async () => {
    for (const data of [plaintext.subarray(0, 4 * RECORD), Buffer.alloc(0)]) {
      const spool = await seal(data);
      expect((await open(spool, spool.sealed)).equals(data)).toBe(true);
    }
  });

  it('releases no byte of a changed record: what came out before it is exactly the records before it', async () => {
    const spool = await seal(plaintext);
    spool.sealed[2 * SEALED_RECORD + 100] ^= 0x01;
    const released: Buffer[] = [];
    const opening = pipeline(
      Readable.from([spool.sealed]),
      spoolOpener(spool.key, spool.iv, spool.records, RECORD),
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          released.push(chunk);
          callback();
        },
      }),
    );
    await expect(opening).rejects.toThrow('a spool file was changed on disk while the job ran');
    expect(Buffer.concat(released).equals(plaintext.subarray(0, 2 * RECORD))).toBe(true);
  });

  it('fails when a tag was changed', async () => {
    const spool = await seal(plaintext);
    spool.sealed[SEALED_RECORD - 1] ^= 0x80;
    await expect(open(spool, spool.sealed)).rejects.toThrow('changed on disk');
  });

  it('fails when the file is cut short, also on a record boundary', async () => {
    const spool = await seal(plaintext);
    await expect(open(spool, spool.sealed.subarray(0, 200_000))).rejects.toThrow('changed on disk');
    await expect(open(spool, spool.sealed.subarray(0, 2 * SEALED_RECORD))).rejects.toThrow('changed on disk');
  });

  it('fails when bytes or records were added, or records swapped', async () => {
    const spool = await seal(plaintext);
    await expect(open(spool, Buffer.concat([spool.sealed, randomBytes(10)]))).rejects.toThrow('changed on disk');
    await expect(open(spool, Buffer.concat([spool.sealed, spool.sealed.subarray(0, SEALED_RECORD)]))).rejects.toThrow('changed on disk');
    const swapped = Buffer.concat([spool.sealed.subarray(SEALED_RECORD, 2 * SEALED_RECORD), spool.sealed.subarray(0, SEALED_RECORD), spool.sealed.subarray(2 * SEALED_RECORD)]);
    await expect(open(spool, swapped)).rejects.toThrow('changed on disk');
  });

  it('has no record count to give before it has sealed everything', () => {
    expect(() => spoolSealer(newSpoolKey(), newSpoolIv()).records()).toThrow('the spool is not sealed yet');
  });
});
