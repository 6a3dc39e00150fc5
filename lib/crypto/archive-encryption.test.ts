import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { decryptArchive, encryptArchive } from './archive-encryption';

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

  it('fails the encrypted stream when its input fails, instead of ending it as if whole', async () => {
    const failing = new Readable({ read() {} });
    const encrypted = await encryptArchive(failing, { passphrase: PASSPHRASE });
    failing.push(plaintext.subarray(0, 3 * 1024 * 1024));
    failing.destroy(new Error('the engine went away'));
    await expect(buffer(encrypted)).rejects.toThrow('the engine went away');
  });
});
