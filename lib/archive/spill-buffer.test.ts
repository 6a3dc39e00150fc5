import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { newSpoolKey, SpoolChanged } from '@/lib/crypto/spool-cipher';
import { SpillBuffer } from './spill-buffer';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-spill-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const MiB = 1024 * 1024;
const secret = Buffer.from('ucp-kv/config.json {"secret": true}\n');

/** `data` in 64 KiB chunks, as the engine's stream gives it: one per turn of the event loop. */
function engine(data: Buffer) {
  return Readable.from(
    (async function* () {
      for (let offset = 0; offset < data.length; offset += 64 * 1024) {
        await new Promise(setImmediate);
        yield data.subarray(offset, offset + 64 * 1024);
      }
    })(),
  );
}

/** A reader that takes nothing until `open` resolves, then everything. */
function heldReader(open: Promise<void>) {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      open.then(() => callback());
    },
  });
  return { sink, read: () => Buffer.concat(chunks) };
}

describe('a spill buffer', () => {
  it('passes everything through memory when its reader keeps up: no spool file', async () => {
    const data = randomBytes(6 * MiB);
    const spool = path.join(dir, 'kept-up.spool');
    const spill = new SpillBuffer(spool, newSpoolKey(), 'ucp-kv', 2 * MiB);
    const [, read] = await Promise.all([pipeline(engine(data), spill), buffer(spill)]);
    expect(read.equals(data)).toBe(true);
    expect(spill.spilledBytes).toBe(0);
    expect(fs.existsSync(spool)).toBe(false);
  });

  it('never holds its writer back for a slow reader: the rest goes to an encrypted spool, and comes back in order', async () => {
    const data = Buffer.concat([secret, randomBytes(7 * MiB + 123)]);
    const spool = path.join(dir, 'slow.spool');
    const spill = new SpillBuffer(spool, newSpoolKey(), 'ucp-kv', MiB);
    let letRead!: () => void;
    const reader = heldReader(new Promise((resolve) => (letRead = resolve)));
    const reading = pipeline(spill, reader.sink);
    // The whole input is taken while the reader takes nothing.
    await pipeline(engine(data), spill);
    expect(spill.spilledBytes).toBeGreaterThan(4 * MiB);
    expect(fs.readFileSync(spool).includes(Buffer.from('"secret"'))).toBe(false);
    expect(fs.statSync(spool).mode & 0o777).toBe(0o600);
    letRead();
    await reading;
    expect(reader.read().equals(data)).toBe(true);
  });

  it('fails its reader when a byte of the spool was changed on disk', async () => {
    const spool = path.join(dir, 'changed.spool');
    const spill = new SpillBuffer(spool, newSpoolKey(), 'ucp-kv', MiB);
    let letRead!: () => void;
    const reader = heldReader(new Promise((resolve) => (letRead = resolve)));
    const reading = pipeline(spill, reader.sink);
    await pipeline(engine(randomBytes(4 * MiB)), spill);
    const handle = fs.openSync(spool, 'r+');
    fs.writeSync(handle, Buffer.from([0x5a]), 0, 1, 1000);
    fs.closeSync(handle);
    letRead();
    await expect(reading).rejects.toThrow(SpoolChanged);
  });
});
