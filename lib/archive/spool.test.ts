import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { newSpoolKey } from '@/lib/crypto/spool-cipher';
import { readSpooledTar, spoolTar } from './spool';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-spool-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const content = Buffer.concat([Buffer.from('ucp-kv/config.json {"secret": true}\n'), randomBytes(2 * 1024 * 1024)]);

describe('a spool file', () => {
  it('holds no plaintext on disk, is private, and reads back as it was written', async () => {
    const key = newSpoolKey();
    const spooled = await spoolTar('ucp-kv', Readable.from([content]), path.join(dir, 'a.spool'), key);
    const onDisk = fs.readFileSync(spooled.path);
    expect(spooled.bytes).toBe(content.length);
    expect(onDisk.includes(Buffer.from('"secret"'))).toBe(false);
    expect(fs.statSync(spooled.path).mode & 0o777).toBe(0o600);
    expect((await buffer(readSpooledTar(spooled, key))).equals(content)).toBe(true);
  });

  it('fails to read back once a byte of it was changed on disk', async () => {
    const key = newSpoolKey();
    const spooled = await spoolTar('ucp-kv', Readable.from([content]), path.join(dir, 'b.spool'), key);
    const handle = fs.openSync(spooled.path, 'r+');
    fs.writeSync(handle, Buffer.from([fs.readFileSync(spooled.path)[4096] ^ 0xff]), 0, 1, 4096);
    fs.closeSync(handle);
    await expect(buffer(readSpooledTar(spooled, key))).rejects.toThrow('a spool file was changed on disk while the job ran');
  });

  it('never writes over an existing file', async () => {
    fs.writeFileSync(path.join(dir, 'c.spool'), 'someone else’s');
    await expect(spoolTar('ucp-kv', Readable.from([content]), path.join(dir, 'c.spool'), newSpoolKey())).rejects.toThrow(/EEXIST/);
  });
});
