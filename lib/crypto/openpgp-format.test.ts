import { execFile, spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { promisify } from 'node:util';
import * as openpgp from 'openpgp';
import { afterAll, describe, expect, it } from 'vitest';
import { decryptArchive, encryptArchive } from './archive-encryption';

// The native SEIPD v1 path (seipd.mjs) against the two references, gpg 2.2 and openpgp.js, both ways.

const run = promisify(execFile);
const PASSPHRASE = 'format test passphrase';
const MiB = 1024 * 1024;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-format-'));
const gpgArgs = ['--batch', '--quiet', '--homedir', work, '--pinentry-mode', 'loopback', '--passphrase', PASSPHRASE];
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Around every boundary of the partial-length framing (512-byte minimum first part, 1 MiB parts), and a few random sizes. */
const SIZES = [0, 1, 511, 512, 513, MiB - 1, MiB, MiB + 1, ...Array.from({ length: 3 }, () => randomInt(1, 3 * MiB))];

async function encrypt(plaintext: Buffer) {
  return buffer(await encryptArchive(Readable.from([plaintext]), { passphrase: PASSPHRASE }));
}

async function decrypt(message: Buffer, passphrase = PASSPHRASE) {
  const plaintext = await decryptArchive(Readable.from([message]), { passphrase });
  return { path: plaintext.path, bytes: await buffer(plaintext) };
}

function gpgDecrypt(message: Buffer) {
  const file = path.join(work, `in-${randomInt(1e9)}.gpg`);
  fs.writeFileSync(file, message);
  return new Promise<Buffer>((resolve, reject) => {
    const gpg = spawn('gpg', [...gpgArgs, '--decrypt', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let errors = '';
    gpg.stderr.on('data', (chunk) => (errors += chunk));
    const output = buffer(gpg.stdout);
    gpg.on('close', (code) => (code === 0 ? output.then(resolve, reject) : reject(new Error(`gpg --decrypt exited ${code}: ${errors}`))));
  });
}

async function gpgEncrypt(plaintext: Buffer, ...options: string[]) {
  const file = path.join(work, `plain-${randomInt(1e9)}`);
  fs.writeFileSync(file, plaintext);
  await run('gpg', [...gpgArgs, '--symmetric', ...options, '-o', `${file}.gpg`, file]);
  return fs.readFileSync(`${file}.gpg`);
}

describe('native OpenPGP (SEIPD v1) agrees with gpg and openpgp.js', () => {
  it.each(SIZES)('%i bytes: gpg and openpgp.js read what Lifeboat writes, and Lifeboat reads it natively', async (size) => {
    const plaintext = randomBytes(size);
    const message = await encrypt(plaintext);
    expect((await gpgDecrypt(message)).equals(plaintext)).toBe(true);
    const { data } = await openpgp.decrypt({ message: await openpgp.readMessage({ binaryMessage: message }), passwords: [PASSPHRASE], format: 'binary' });
    expect(Buffer.from(data).equals(plaintext)).toBe(true);
    const ours = await decrypt(message);
    expect(ours.path).toBe('native');
    expect(ours.bytes.equals(plaintext)).toBe(true);
  });

  it.each([
    ['gpg -z 0 (AES-256)', ['--cipher-algo', 'AES256', '-z', '0'], 'native'],
    ['gpg -z 0 (AES-128)', ['--cipher-algo', 'AES128', '-z', '0'], 'native'],
    ['gpg with compression', ['--cipher-algo', 'AES256', '--compress-algo', 'zlib', '-z', '6'], 'openpgp.js'],
  ])('reads what %s wrote (%s)', async (_name, options, expectedPath) => {
    const plaintext = Buffer.concat([randomBytes(MiB + 7), Buffer.alloc(100_000, 'compressible ')]);
    const ours = await decrypt(await gpgEncrypt(plaintext, ...options));
    expect(ours.path).toBe(expectedPath);
    expect(ours.bytes.equals(plaintext)).toBe(true);
  });

  it.each([0, 600, 2 * MiB + 3])('reads what openpgp.js wrote (%i bytes) natively', async (size) => {
    const plaintext = randomBytes(size);
    const message = await openpgp.encrypt({
      message: await openpgp.createMessage({ binary: plaintext }),
      passwords: [PASSPHRASE],
      format: 'binary',
      config: { preferredCompressionAlgorithm: openpgp.enums.compression.uncompressed },
    });
    const ours = await decrypt(Buffer.from(message as Uint8Array));
    expect(ours.path).toBe('native');
    expect(ours.bytes.equals(plaintext)).toBe(true);
  });

  it('refuses a wrong passphrase before any plaintext, for its own messages and for gpg’s', async () => {
    const plaintext = randomBytes(2000);
    for (const message of [await encrypt(plaintext), await gpgEncrypt(plaintext, '--cipher-algo', 'AES256', '-z', '0')]) {
      await expect(decryptArchive(Readable.from([message]), { passphrase: 'another passphrase' })).rejects.toThrow(/the passphrase is wrong/);
    }
  });
});

describe('a change anywhere in the message is refused', () => {
  const plaintext = randomBytes(MiB + 4321);
  const messageOnce = encrypt(plaintext);

  /** The offsets of each region of Lifeboat's own layout: SKESK, then SEIPD (tag, 1 MiB part octet, version, prefix, body … MDC). */
  async function regions() {
    const message = await messageOnce;
    const skeskLength = 2 + message[1];
    const seipd = skeskLength;
    return {
      message,
      at: {
        'the SKESK packet header': 0,
        'the S2K salt': 6,
        'the encrypted session key': skeskLength - 3,
        'the SEIPD packet header': seipd,
        'the SEIPD part length': seipd + 1,
        'the SEIPD version': seipd + 2,
        'the random prefix': seipd + 3 + 5,
        'the quick check bytes': seipd + 3 + 16,
        'the body': seipd + 3 + 18 + 1000,
        'a later part length': seipd + 2 + MiB,
        'the MDC': message.length - 5,
      } as Record<string, number>,
    };
  }

  async function readWhole(message: Buffer) {
    return buffer(await decryptArchive(Readable.from([message]), { passphrase: PASSPHRASE }));
  }

  it('reads the untouched message', async () => {
    expect((await readWhole(await messageOnce)).equals(plaintext)).toBe(true);
  });

  it.each([
    'the SKESK packet header',
    'the S2K salt',
    'the encrypted session key',
    'the SEIPD packet header',
    'the SEIPD part length',
    'the SEIPD version',
    'the random prefix',
    'the quick check bytes',
    'the body',
    'a later part length',
    'the MDC',
  ])('%s', async (region) => {
    const { message, at } = await regions();
    const changed = Buffer.from(message);
    changed[at[region]] ^= 0x01;
    await expect(readWhole(changed)).rejects.toThrow();
  });

  it.each([1, 22, 23, 1000, MiB])('a message cut %i bytes short', async (cut) => {
    const message = await messageOnce;
    await expect(readWhole(message.subarray(0, message.length - cut))).rejects.toThrow();
  });

  it('bytes after the end of the message', async () => {
    const message = await messageOnce;
    await expect(readWhole(Buffer.concat([message, Buffer.from([0xcb, 0x01, 0x62])]))).rejects.toThrow(/after the end/);
  });
});
