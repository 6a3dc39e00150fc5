import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { promisify } from 'node:util';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpgKeyPair, type GpgKeyPair } from '@/e2e/support/gpg-key';
import { readUsableKey, refuseUnusableRecipients } from '@/lib/keys/key-facts';
import { decryptArchive, encryptArchive, newSessionKey, type Opener, type Recipients } from './archive-encryption';

// Archives encrypted to public keys (PKESK), against gpg 2.2 with a key pair it made itself.

const run = promisify(execFile);
const ARCHIVE_PASSPHRASE = 'an archive passphrase too';
let pair: GpgKeyPair;
let gpg: string[];
let work: string;
let KEY_PASSPHRASE: string;
let publicKey: string;
let privateKey: string;
let fingerprint: string;

/** More than one 1 MiB part, and an odd tail. */
// Text first: gpg does not compress what starts like an already compressed file (gzip's, bzip2's magic),
// which random bytes do now and then.
const plaintext = Buffer.concat([Buffer.from('Lifeboat test plaintext\n'), randomBytes(2 * 1024 * 1024 + 777)]);

beforeAll(async () => {
  pair = await gpgKeyPair();
  ({ home: work, passphrase: KEY_PASSPHRASE, publicKey, privateKey, fingerprint } = pair);
  gpg = ['--batch', '--quiet', '--homedir', work, '--pinentry-mode', 'loopback'];
}, 60_000);
afterAll(() => pair?.remove());

async function encrypt(recipients: Recipients) {
  return buffer(await encryptArchive(Readable.from([plaintext]), recipients));
}

async function decrypt(message: Buffer, opener: Opener) {
  const decrypted = await decryptArchive(Readable.from([message]), opener);
  return { path: decrypted.path, bytes: await buffer(decrypted) };
}

function gpgDecrypt(message: Buffer, passphrase: string) {
  const file = path.join(work, `in-${randomBytes(4).toString('hex')}.gpg`);
  fs.writeFileSync(file, message);
  return new Promise<Buffer>((resolve, reject) => {
    const child = spawn('gpg', [...gpg, '--passphrase', passphrase, '--decrypt', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk) => (errors += chunk));
    const output = buffer(child.stdout);
    child.on('close', (code) => (code === 0 ? output.then(resolve, reject) : reject(new Error(`gpg exited ${code}: ${errors}`))));
  });
}

describe('archives encrypted to a public key', () => {
  it('gpg decrypts with its private key what Lifeboat encrypted to the public key alone', async () => {
    const message = await encrypt({ publicKeys: [publicKey] });
    expect((await gpgDecrypt(message, KEY_PASSPHRASE)).equals(plaintext)).toBe(true);
    // No passphrase was given: none opens it.
    await expect(decrypt(message, { passphrase: KEY_PASSPHRASE })).rejects.toThrow(/the passphrase is wrong/);
  });

  it('Lifeboat reads it natively with the armored private key and its passphrase', async () => {
    const message = await encrypt({ publicKeys: [publicKey] });
    const { path: how, bytes } = await decrypt(message, { privateKey, keyPassphrase: KEY_PASSPHRASE });
    expect(how).toBe('native');
    expect(bytes.equals(plaintext)).toBe(true);
  });

  it('a key and a passphrase together: either opens the archive, in gpg and in Lifeboat', async () => {
    const message = await encrypt({ passphrase: ARCHIVE_PASSPHRASE, publicKeys: [publicKey] });
    expect((await gpgDecrypt(message, KEY_PASSPHRASE)).equals(plaintext)).toBe(true);
    expect((await decrypt(message, { passphrase: ARCHIVE_PASSPHRASE })).bytes.equals(plaintext)).toBe(true);
    expect((await decrypt(message, { privateKey, keyPassphrase: KEY_PASSPHRASE })).bytes.equals(plaintext)).toBe(true);
  });

  it('reads what gpg --encrypt wrote: -z 0 natively, compressed through openpgp.js', async () => {
    const input = path.join(work, 'plain');
    fs.writeFileSync(input, plaintext);
    for (const [compression, expected] of [
      ['0', 'native'],
      ['6', 'openpgp.js'],
    ] as const) {
      const output = `${input}.${compression}.gpg`;
      await run('gpg', [...gpg, '--trust-model', 'always', '--encrypt', '-r', fingerprint, '-z', compression, '-o', output, input]);
      const { path: how, bytes } = await decrypt(fs.readFileSync(output), { privateKey, keyPassphrase: KEY_PASSPHRASE });
      expect(how).toBe(expected);
      expect(bytes.equals(plaintext)).toBe(true);
    }
  });

  it('refuses another key, a wrong or missing key passphrase, and a public key given as the private one, before any plaintext', async () => {
    const message = await encrypt({ publicKeys: [publicKey] });
    const other = await openpgp.generateKey({ userIDs: [{ name: 'Someone Else' }], format: 'armored' });
    await expect(decrypt(message, { privateKey: other.privateKey })).rejects.toThrow(/this private key does not open the archive/);
    await expect(decrypt(message, { privateKey, keyPassphrase: 'not the key passphrase' })).rejects.toThrow(/the private key's passphrase is wrong/);
    await expect(decrypt(message, { privateKey })).rejects.toThrow(/protected by a passphrase: give it too/);
    await expect(decrypt(message, { privateKey: publicKey })).rejects.toThrow(/not an armored OpenPGP private key/);
  });

  it('a private key stands for its public part as a recipient (a restore safety copy goes to the key that opened it)', async () => {
    const message = await encrypt({ publicKeys: [privateKey] });
    expect((await gpgDecrypt(message, KEY_PASSPHRASE)).equals(plaintext)).toBe(true);
  });
});

describe('which public keys backups may be encrypted to', () => {
  it("describes gpg's key with gpg's own fingerprint", async () => {
    const key = await readUsableKey(publicKey);
    expect(key.fingerprint).toBe(fingerprint);
    expect(key.userIds).toEqual(['Backup Operator <ops@example.org>']);
    expect(key.expiresAt).toBeNull();
    expect(key.armored).toContain('BEGIN PGP PUBLIC KEY BLOCK');
  });

  it('refuses a private key, an expired, a revoked and a signing-only key, and text that is no key, each saying why', async () => {
    await expect(readUsableKey(privateKey)).rejects.toThrow(/this is a private key: import its public part/);
    const past = new Date(Date.now() - 3 * 86_400_000);
    const expired = await openpgp.generateKey({ userIDs: [{ name: 'Expired' }], date: past, keyExpirationTime: 86_400, format: 'armored' });
    await expect(readUsableKey(expired.publicKey)).rejects.toThrow(/expired on \d{4}-\d\d-\d\d/);
    const live = await openpgp.generateKey({ userIDs: [{ name: 'Revoked' }], format: 'object' });
    const { publicKey: revoked } = await openpgp.revokeKey({ key: live.privateKey, format: 'armored' });
    await expect(readUsableKey(revoked)).rejects.toThrow(/is revoked/);
    const signOnly = await openpgp.generateKey({ userIDs: [{ name: 'Signer' }], subkeys: [], format: 'armored' });
    await expect(readUsableKey(signOnly.publicKey)).rejects.toThrow(/cannot encrypt/);
    await expect(readUsableKey('hello')).rejects.toThrow(/not an armored OpenPGP public key/);
  });

  it("refuses a restore's safety copy to a private key that can no longer be encrypted to, before anything changes", async () => {
    const expired = await openpgp.generateKey({ userIDs: [{ name: 'Expired' }], date: new Date(Date.now() - 3 * 86_400_000), keyExpirationTime: 86_400, format: 'armored' });
    await expect(refuseUnusableRecipients({ publicKeys: [expired.privateKey] }, 'the safety copy is encrypted to it')).rejects.toThrow(
      /cannot encrypt .*the safety copy is encrypted to it: restore with a passphrase, or without the safety copy/,
    );
    await expect(refuseUnusableRecipients({ publicKeys: [privateKey] }, 'the safety copy is encrypted to it')).resolves.toBeUndefined();
  });
});

describe('the session key a job keeps to verify what it wrote', () => {
  it('is the key the archive is written with: gpg opens the archive with it alone, and so does Lifeboat', async () => {
    const sessionKey = newSessionKey();
    const message = await encrypt({ publicKeys: [publicKey], sessionKey });
    // A GnuPG home without the secret key: only the session key can open it.
    const bare = fs.mkdtempSync(path.join(work, 'bare-'));
    fs.chmodSync(bare, 0o700);
    const file = path.join(bare, 'archive.gpg');
    fs.writeFileSync(file, message);
    const { stdout } = await run('gpg', ['--batch', '--quiet', '--homedir', bare, '--override-session-key', `9:${Buffer.from(sessionKey).toString('hex')}`, '--decrypt', file], {
      encoding: 'buffer',
      maxBuffer: 8 * 1024 * 1024,
    });
    expect(Buffer.from(stdout).equals(plaintext)).toBe(true);
    expect(await decrypt(message, { sessionKey })).toEqual({ path: 'native', bytes: plaintext });
  });

  it('another session key opens nothing, and says so', async () => {
    const message = await encrypt({ publicKeys: [publicKey], sessionKey: newSessionKey() });
    await expect(decrypt(message, { sessionKey: newSessionKey() })).rejects.toThrow('the archive cannot be read: the session key the backup wrote it with does not open it');
  });
});
