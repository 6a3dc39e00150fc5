// The OpenPGP pass of a backup, in a thread of its own: it follows the encrypted spool as the main
// thread writes it, decrypts it with the throwaway key, encrypts it with the passphrase (openpgp) and
// writes the archive. On two cores this keeps the engine read, and so UCP's downtime, at engine speed.
// Plain JavaScript loaded by path at run time (lib/backup/encryption-pass.ts), so no bundler touches it.
import { createDecipheriv, createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import * as openpgp from 'openpgp';

const { spoolPath, archivePath, key, iv, cipher, passphrase, chunkSize } = workerData;

const spool = { written: 0, state: 'writing', error: null };
let wake = () => {};
parentPort.on('message', (message) => {
  Object.assign(spool, message);
  wake();
});

/** The spool's bytes as the main thread writes them; ends when it is complete, throws when it failed. */
async function* followSpool() {
  const handle = await fs.open(spoolPath, 'r');
  try {
    let position = 0;
    for (;;) {
      // Whole chunks only, until the end: openpgp.js is three times slower on small ones.
      if (spool.written - position >= chunkSize || (spool.state === 'complete' && position < spool.written)) {
        const buffer = Buffer.allocUnsafe(Math.min(chunkSize, spool.written - position));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        position += bytesRead;
        yield buffer.subarray(0, bytesRead);
      } else if (spool.state === 'complete') {
        return;
      } else if (spool.state === 'failed') {
        throw new Error(spool.error ?? 'the spool failed');
      } else {
        await new Promise((resolve) => (wake = resolve));
      }
    }
  } finally {
    await handle.close();
  }
}

async function* decrypted() {
  const decipher = createDecipheriv(cipher, key, iv);
  for await (const chunk of followSpool()) yield decipher.update(chunk);
}

async function writeAll(handle, chunk) {
  let offset = 0;
  while (offset < chunk.length) offset += (await handle.write(chunk, offset, chunk.length - offset)).bytesWritten;
}

async function encryptionPass() {
  const message = await openpgp.createMessage({ binary: Readable.toWeb(Readable.from(decrypted(), { objectMode: false })) });
  const encrypted = await openpgp.encrypt({
    message,
    passwords: [passphrase],
    format: 'binary',
    config: { preferredSymmetricAlgorithm: openpgp.enums.symmetric.aes256, preferredCompressionAlgorithm: openpgp.enums.compression.uncompressed },
  });
  const archive = await fs.open(archivePath, 'wx', 0o600);
  try {
    const hash = createHash('sha256');
    let written = 0;
    parentPort.postMessage({ type: 'archive', written });
    for await (const chunk of encrypted) {
      hash.update(chunk);
      await writeAll(archive, chunk);
      written += chunk.length;
      parentPort.postMessage({ type: 'archive', written });
    }
    await archive.sync();
    return { bytes: written, sha256: hash.digest('hex') };
  } finally {
    await archive.close();
  }
}

encryptionPass().then(
  (result) => parentPort.postMessage({ type: 'done', ...result }),
  (error) => parentPort.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
);
