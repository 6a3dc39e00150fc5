import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { decryptArchive, encryptArchive, encryptArchiveToFile } from './archive-encryption';

const run = promisify(execFile);
const PASSPHRASE = 'a passphrase of some length';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-openpgp-'));
const gpgArgs = ['--batch', '--homedir', work, '--pinentry-mode', 'loopback', '--passphrase', PASSPHRASE];
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Several worker chunks, and an odd tail. */
const plaintext = randomBytes(9 * 1024 * 1024 + 12345);

/** Feeds `data` in small pieces, as a socket would. */
function pieces(data: Buffer, size = 64 * 1024) {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < data.length; offset += size) yield data.subarray(offset, offset + size);
    })(),
  );
}

describe('passphrase encryption on a worker thread', () => {
  it('writes what gpg decrypts to the same bytes', async () => {
    const file = path.join(work, 'ours.gpg');
    fs.writeFileSync(file, await buffer(await encryptArchive(pieces(plaintext), { passphrase: PASSPHRASE })));
    const decrypted = await new Promise<Buffer>((resolve, reject) => {
      const gpg = spawn('gpg', [...gpgArgs, '--decrypt', file], { stdio: ['ignore', 'pipe', 'ignore'] });
      buffer(gpg.stdout).then(resolve, reject);
    });
    expect(decrypted.equals(plaintext)).toBe(true);
  });

  it('reads what gpg wrote', async () => {
    const input = path.join(work, 'plain');
    fs.writeFileSync(input, plaintext);
    await run('gpg', [...gpgArgs, '--symmetric', '--cipher-algo', 'AES256', '-z', '0', '-o', `${input}.gpg`, input]);
    const decrypted = await buffer(await decryptArchive(fs.createReadStream(`${input}.gpg`), { passphrase: PASSPHRASE }));
    expect(decrypted.equals(plaintext)).toBe(true);
  });

  it('refuses a wrong passphrase before handing out any plaintext', async () => {
    const encrypted = await buffer(await encryptArchive(pieces(plaintext.subarray(0, 1000)), { passphrase: PASSPHRASE }));
    await expect(decryptArchive(Readable.from([encrypted]), { passphrase: 'not the passphrase at all' })).rejects.toThrow(/the passphrase is wrong/);
  });

  it('writes the archive to a file from its own thread, with its SHA-256, from many small pieces', async () => {
    const file = path.join(work, 'to-file.gpg');
    const fd = fs.openSync(file, 'wx', 0o600);
    let reported = 0;
    try {
      const { input, written } = encryptArchiveToFile({ passphrase: PASSPHRASE }, fd, (bytes) => (reported = bytes));
      // Small pieces, as a re-packed tar comes: many chunks go over, and come back to be filled again.
      for await (const piece of pieces(plaintext, 4096 + 17)) if (!input.write(piece)) await once(input, 'drain');
      input.end();
      const { bytes, sha256 } = await written;
      const onDisk = fs.readFileSync(file);
      expect([bytes, reported]).toEqual([onDisk.length, onDisk.length]);
      expect(sha256).toBe(createHash('sha256').update(onDisk).digest('hex'));
    } finally {
      fs.closeSync(fd);
    }
    const { stdout } = await run('gpg', [...gpgArgs, '--decrypt', file], { encoding: 'buffer', maxBuffer: 1 << 26 });
    expect(stdout.equals(plaintext)).toBe(true);
  });

  it('writes the same whole archive when it yields the CPU for a while', async () => {
    const file = path.join(work, 'yielding.gpg');
    const fd = fs.openSync(file, 'wx', 0o600);
    try {
      const { input, written, yieldCpu } = encryptArchiveToFile({ passphrase: PASSPHRASE }, fd, () => {});
      yieldCpu(true);
      const half = 4 * 1024 * 1024;
      for await (const piece of pieces(plaintext.subarray(0, half))) if (!input.write(piece)) await once(input, 'drain');
      yieldCpu(false);
      for await (const piece of pieces(plaintext.subarray(half))) if (!input.write(piece)) await once(input, 'drain');
      input.end();
      await written;
    } finally {
      fs.closeSync(fd);
    }
    const { stdout } = await run('gpg', [...gpgArgs, '--decrypt', file], { encoding: 'buffer', maxBuffer: 1 << 26 });
    expect(stdout.equals(plaintext)).toBe(true);
  });

  it('ends its thread when stopped while it yields the CPU', async () => {
    const fd = fs.openSync(path.join(work, 'stopped.gpg'), 'wx', 0o600);
    try {
      const { input, written, yieldCpu } = encryptArchiveToFile({ passphrase: PASSPHRASE }, fd, () => {});
      yieldCpu(true);
      for await (const piece of pieces(plaintext.subarray(0, 4 * 1024 * 1024))) if (!input.write(piece)) await once(input, 'drain');
      input.destroy(new Error('the backup was cancelled'));
      await expect(written).rejects.toThrow();
    } finally {
      fs.closeSync(fd);
    }
  });

  it("fails with the disk's own error when the file takes no more bytes, and lets go of the file", async () => {
    // /dev/full: every write fails with ENOSPC, as on a full data directory.
    const fd = fs.openSync('/dev/full', 'w');
    try {
      const { input, written } = encryptArchiveToFile({ passphrase: PASSPHRASE }, fd, () => {});
      input.on('error', () => {});
      const feeding = (async () => {
        for await (const piece of pieces(plaintext)) if (!input.write(piece)) await Promise.race([once(input, 'drain'), once(input, 'close')]);
        input.end();
      })();
      // `written` settles only once both threads are gone: the caller may close the file then.
      await expect(written).rejects.toMatchObject({ code: 'ENOSPC' });
      await feeding.catch(() => {});
      expect(input.destroyed).toBe(true);
    } finally {
      fs.closeSync(fd);
    }
  });

  it('fails the encrypted stream when its input fails, instead of ending it as if whole', async () => {
    const failing = new Readable({ read() {} });
    const encrypted = await encryptArchive(failing, { passphrase: PASSPHRASE });
    failing.push(plaintext.subarray(0, 3 * 1024 * 1024));
    failing.destroy(new Error('the engine went away'));
    await expect(buffer(encrypted)).rejects.toThrow('the engine went away');
  });
});
