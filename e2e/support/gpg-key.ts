// A key pair made by gpg itself, as an operator would make one, in a GnuPG home of its own.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type GpgKeyPair = {
  /** The GnuPG home that holds the secret key (gpg --homedir). */
  home: string;
  /** The private key's own passphrase. */
  passphrase: string;
  publicKey: string;
  privateKey: string;
  fingerprint: string;
  userId: string;
  remove: () => void;
};

/** `gpg --quick-gen-key` (GnuPG's default algorithms, no expiry), exported armored both ways. */
export async function gpgKeyPair(userId = 'Backup Operator <ops@example.org>', passphrase = 'the private key passphrase'): Promise<GpgKeyPair> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-gpg-key-'));
  fs.chmodSync(home, 0o700);
  const gpg = ['--batch', '--quiet', '--homedir', home, '--pinentry-mode', 'loopback', '--passphrase', passphrase];
  await run('gpg', [...gpg, '--quick-gen-key', userId, 'default', 'default', 'never']);
  const colons = (await run('gpg', [...gpg, '--with-colons', '--fingerprint', userId])).stdout;
  const fingerprint = colons
    .split('\n')
    .find((line) => line.startsWith('fpr:'))!
    .split(':')[9];
  return {
    home,
    passphrase,
    publicKey: (await run('gpg', [...gpg, '--armor', '--export', fingerprint])).stdout,
    privateKey: (await run('gpg', [...gpg, '--armor', '--export-secret-keys', fingerprint])).stdout,
    fingerprint,
    userId,
    remove: () => fs.rmSync(home, { recursive: true, force: true }),
  };
}
