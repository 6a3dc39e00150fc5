// The archive file's own thread (see openpgp-thread.ts): it writes the ciphertext the OpenPGP thread
// encrypts to workerData.outputFd, hashes it and syncs it (as it goes, then at the end), so that thread does only the cipher and its
// integrity code. Plain JavaScript, a worker entry of its own (like openpgp-worker.mjs).
//
// From the OpenPGP thread, on workerData.port: { type: 'chunk', data: ArrayBuffer, length } … { type: 'end' };
// back to it: { type: 'credit', data } per chunk written, its memory to be filled again. To the main thread: { type: 'written', bytes } per
// chunk, then { type: 'end', file: { bytes, sha256 } } or { type: 'error', code: null, errno, message }.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

const { outputFd: fd, port } = workerData;
/** Written bytes the disk is asked to take in the background, so that the sync at the end has little left. */
const SYNC_EVERY = 64 << 20;
const hash = createHash('sha256');
let bytes = 0;
let unsynced = 0;
/** The background sync under way, settling to its error or null. */
let syncing = null;

function write(chunk) {
  for (let offset = 0; offset < chunk.length;) {
    const written = fs.writeSync(fd, chunk, offset);
    if (written === 0) throw new Error('the archive file took no bytes');
    offset += written;
  }
  hash.update(chunk);
  bytes += chunk.length;
  unsynced += chunk.length;
  if (unsynced >= SYNC_EVERY && !syncing) {
    unsynced = 0;
    syncing = new Promise((resolve) => fs.fdatasync(fd, resolve)).then((error) => {
      syncing = null;
      if (error) fail(error);
    });
  }
}

async function end() {
  await syncing;
  // A background sync that failed has said so already.
  if (failed) return;
  fs.fsyncSync(fd);
  port.close();
  parentPort.postMessage({ type: 'end', file: { bytes, sha256: hash.digest('hex') } });
}

let failed = false;
function fail(error) {
  if (failed) return;
  failed = true;
  port.close();
  parentPort.postMessage({ type: 'error', code: null, errno: error?.code ?? null, message: error instanceof Error ? error.message : String(error) });
}

port.on('message', (message) => {
  if (failed) return;
  try {
    if (message.type === 'chunk') {
      write(Buffer.from(message.data, 0, message.length));
      port.postMessage({ type: 'credit', data: message.data }, [message.data]);
      parentPort.postMessage({ type: 'written', bytes });
    } else if (message.type === 'end') {
      end().catch(fail);
    }
  } catch (error) {
    fail(error);
  }
});
