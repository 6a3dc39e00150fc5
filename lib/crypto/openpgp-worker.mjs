// openpgp.js on a thread of its own (see openpgp-thread.ts). Plain JavaScript: under Vitest, Node
// loads it by path and a worker cannot load TypeScript; Turbopack bundles it as a worker entry.
//
// In: { type: 'chunk', data: ArrayBuffer } … { type: 'end' }; { type: 'credit' } when the main thread
// has taken an output chunk. Out: { type: 'ready' } once openpgp.js accepted the message (a wrong
// passphrase fails before it), { type: 'ack' } per input chunk taken, { type: 'chunk', data }, then
// { type: 'end' } or { type: 'error', message }.
import { parentPort, workerData } from 'node:worker_threads';
import * as openpgp from 'openpgp';

const { operation, passphrase, maxInFlight } = workerData;

const inbox = [];
let inputEnded = false;
let outstanding = 0;
let wakeInput = null;
let wakeOutput = null;

parentPort.on('message', (message) => {
  if (message.type === 'chunk') inbox.push(message.data);
  else if (message.type === 'end') inputEnded = true;
  else if (message.type === 'credit') outstanding -= 1;
  for (const wake of [wakeInput, wakeOutput]) wake?.();
  wakeInput = wakeOutput = null;
});

const input = new ReadableStream(
  {
    async pull(controller) {
      while (inbox.length === 0 && !inputEnded) await new Promise((resolve) => (wakeInput = resolve));
      if (inbox.length === 0) return controller.close();
      controller.enqueue(new Uint8Array(inbox.shift()));
      parentPort.postMessage({ type: 'ack' });
    },
  },
  { highWaterMark: 0 },
);

async function openOutput() {
  if (operation === 'encrypt') {
    const message = await openpgp.createMessage({ binary: input });
    return openpgp.encrypt({
      message,
      passwords: [passphrase],
      format: 'binary',
      config: { preferredSymmetricAlgorithm: openpgp.enums.symmetric.aes256, preferredCompressionAlgorithm: openpgp.enums.compression.uncompressed },
    });
  }
  const message = await openpgp.readMessage({ binaryMessage: input });
  // The caller reads to the end before trusting a byte: openpgp.js reports tampering only there.
  const { data } = await openpgp.decrypt({ message, passwords: [passphrase], format: 'binary', config: { allowUnauthenticatedStream: true } });
  return data;
}

async function run() {
  const reader = (await openOutput()).getReader();
  parentPort.postMessage({ type: 'ready' });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    while (outstanding >= maxInFlight) await new Promise((resolve) => (wakeOutput = resolve));
    outstanding += 1;
    // A copy the main thread owns: openpgp.js may still hold views of the buffer it handed out.
    const owned = Uint8Array.prototype.slice.call(value);
    parentPort.postMessage({ type: 'chunk', data: owned.buffer }, [owned.buffer]);
  }
  parentPort.postMessage({ type: 'end' });
}

run().catch((error) => parentPort.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
