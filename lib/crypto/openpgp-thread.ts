import 'server-only';
import path from 'node:path';
import { Duplex } from 'node:stream';
import { MessageChannel, Worker } from 'node:worker_threads';
import { LifeboatError } from '@/lib/errors';

/** Bytes per message to the worker: fewer, larger messages cost less (openpgp.js: 260 MB/s against 160 with 64 KiB). */
const CHUNK = 1024 * 1024;
/** Chunks sent but not yet taken, on each link between threads: what they hold between them is a few MiB. */
const MAX_IN_FLIGHT = 4;

// Turbopack resolves this at build time (the server runs from the project directory) and bundles the
// worker as an entry of its own; under Vitest, Node loads the file itself.
const WORKER_FILE = path.join(process.cwd(), 'lib/crypto/openpgp-worker.mjs');
const FILE_WORKER_FILE = path.join(process.cwd(), 'lib/crypto/archive-file-worker.mjs');

/** Which code read the message: Lifeboat's own (Node's crypto) or openpgp.js (any other layout). */
export type OpenpgpPath = 'native' | 'openpgp.js';

type RefusalCode = 'wrong_passphrase' | 'wrong_key' | 'key_passphrase' | 'bad_key' | 'modified' | 'truncated' | 'invalid';

/** What the worker does, with the secrets for it (they stay in memory, on the two threads). */
export type WorkerJob =
  | { operation: 'encrypt'; passphrase?: string; publicKeys?: string[]; sessionKey?: Uint8Array; outputFd?: number }
  | { operation: 'decrypt'; passphrase: string }
  | { operation: 'decrypt'; privateKey: string; keyPassphrase?: string }
  | { operation: 'decrypt'; sessionKey: Uint8Array };
/** What an encryption with `outputFd` wrote to it. */
export type WrittenFile = { bytes: number; sha256: string };
type FromWorker =
  | { type: 'ready'; path: OpenpgpPath }
  | { type: 'ack' }
  | { type: 'spare'; data: ArrayBuffer }
  | { type: 'chunk'; data: ArrayBuffer; length: number }
  | { type: 'end' }
  | WorkerFailure;
type FromFileWorker = { type: 'written'; bytes: number } | { type: 'end'; file: WrittenFile } | WorkerFailure;
type WorkerFailure = { type: 'error'; code: RefusalCode | null; errno: string | null; message: string };

function failureOf(message: WorkerFailure): Error {
  return message.code ? refusal(message.code, message.message) : Object.assign(new Error(message.message), message.errno ? { code: message.errno } : {});
}

/** What is wrong with a message, in words the operator can act on. */
export function refusal(code: RefusalCode, detail = ''): LifeboatError {
  switch (code) {
    case 'wrong_passphrase':
      return new LifeboatError('wrong_passphrase', 'the passphrase is wrong (or the archive was not encrypted with a passphrase)');
    case 'wrong_key':
      return new LifeboatError('wrong_passphrase', 'this private key does not open the archive: it was encrypted to other keys (or to a passphrase only)');
    case 'key_passphrase':
      return new LifeboatError('wrong_passphrase', detail || "the private key's passphrase is wrong");
    case 'bad_key':
      // What was given to open the archive is unusable: not the archive's fault (a verification is not failed by it).
      return new LifeboatError('wrong_passphrase', `the key cannot be used: ${detail}`);
    case 'modified':
      return new LifeboatError('invalid_input', 'the archive was modified: its OpenPGP integrity check failed');
    case 'truncated':
      return new LifeboatError('invalid_input', 'the archive is truncated: it ends before its last byte');
    case 'invalid':
      return new LifeboatError('invalid_input', `the archive cannot be read: ${detail}`);
  }
}

export type OpenpgpThread = {
  stream: Duplex;
  /** Settles once the message is accepted (with the path that reads it); a wrong passphrase or key rejects it. */
  ready: Promise<OpenpgpPath>;
  /** With `outputFd`: what was written (the stream's readable side then just ends). */
  file: Promise<WrittenFile | undefined>;
  /** Once the threads are gone: no write to `outputFd` can follow (close it only then). */
  exited: Promise<void>;
  /** From now on, encrypt with only the CPU the host leaves idle (`true`), or as fast as it can (`false`). */
  yieldCpu: (on: boolean) => void;
};

/**
 * OpenPGP encryption or decryption on a worker thread (Node's crypto for the bulk, openpgp.js for the rest), as a Duplex (bytes in, bytes out): it costs
 * a core of its own, so the main thread keeps reading tars, hashing and serving requests meanwhile.
 * With `outputFd`, a second thread writes, hashes and syncs the file, beside the cipher; `onWritten`:
 * the bytes written to it so far.
 */
export function openpgpThread(job: WorkerJob, onWritten: (bytes: number) => void = () => {}): OpenpgpThread {
  const { outputFd, ...work } = job as WorkerJob & { outputFd?: number };
  const channel = outputFd === undefined ? null : new MessageChannel();
  const worker = new Worker(WORKER_FILE, { workerData: { ...work, maxInFlight: MAX_IN_FLIGHT, port: channel?.port1 }, transferList: channel ? [channel.port1] : [] });
  const fileWorker = channel && new Worker(FILE_WORKER_FILE, { workerData: { outputFd, port: channel.port2 }, transferList: [channel.port2] });
  const exited = Promise.all([worker, fileWorker].map((w) => w && new Promise<void>((resolve) => w.once('exit', () => resolve())))).then(() => {});
  let markFile!: (file: WrittenFile | undefined) => void;
  let failFile!: (error: Error) => void;
  const file = new Promise<WrittenFile | undefined>((resolve, reject) => ((markFile = resolve), (failFile = reject)));
  file.catch(() => {});
  let isReady = false;
  let markReady!: (path: OpenpgpPath) => void;
  let failReady!: (error: Error) => void;
  const ready = new Promise<OpenpgpPath>((resolve, reject) => ((markReady = resolve), (failReady = reject)));
  ready.catch(() => {});
  let ended = false;
  let fileEnded = false;
  // Before `ready`, a failure is the answer of `ready` alone: the input's pipeline may have finished
  // already and stopped listening, and an 'error' nobody listens to would crash the process.
  const fail = (error: Error) => {
    failReady(error);
    failFile(error);
    stream.destroy(isReady ? error : undefined);
    // The stream may have ended already (the file's thread fails after the cipher's): stop both anyway.
    void terminate();
  };
  const terminate = () => Promise.all([worker.terminate(), fileWorker?.terminate()]);

  // Input chunks the worker handed back, filled again instead of allocating (no garbage per MiB).
  const spares: Buffer[] = [];
  const nextPending = () => spares.pop() ?? Buffer.allocUnsafeSlow(CHUNK);
  let pending = nextPending();
  let filled = 0;
  let unacknowledged = 0;
  let waitingForAck: (() => void) | null = null;
  let creditsOwed = 0;

  const send = (data: Buffer) => {
    unacknowledged += 1;
    // `data` owns its whole ArrayBuffer (allocUnsafeSlow, never pooled): it moves, it is not copied.
    const owned = data.byteLength === data.buffer.byteLength ? data.buffer : data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
    worker.postMessage({ type: 'chunk', data: owned }, [owned as ArrayBuffer]);
  };

  const stream = new Duplex({
    readableHighWaterMark: CHUNK,
    writableHighWaterMark: CHUNK,
    write(chunk: Buffer, _encoding, callback) {
      let offset = 0;
      // A big chunk goes over in 1 MiB messages, each waiting its turn, so the worker never holds more than MAX_IN_FLIGHT.
      const fill = () => {
        while (offset < chunk.length) {
          const taken = chunk.copy(pending, filled, offset);
          filled += taken;
          offset += taken;
          if (filled === CHUNK) {
            send(pending);
            pending = nextPending();
            filled = 0;
            if (unacknowledged >= MAX_IN_FLIGHT) return void (waitingForAck = fill);
          }
        }
        callback();
      };
      fill();
    },
    final(callback) {
      if (filled > 0) send(pending.subarray(0, filled));
      worker.postMessage({ type: 'end' });
      callback();
    },
    read() {
      for (; creditsOwed > 0; creditsOwed -= 1) worker.postMessage({ type: 'credit' });
    },
    destroy(error, callback) {
      failReady(error ?? new Error('stopped'));
      // Ended whole (the stream destroys itself then): the file's thread has the end and finishes the file.
      if (!error && ended) return void worker.terminate().finally(() => callback(null));
      failFile(error ?? new Error('stopped'));
      void terminate().finally(() => callback(error));
    },
  });

  worker.on('message', (message: FromWorker) => {
    switch (message.type) {
      case 'ready':
        isReady = true;
        return markReady(message.path);
      case 'ack':
        unacknowledged -= 1;
        if (waitingForAck && unacknowledged < MAX_IN_FLIGHT) {
          const resume = waitingForAck;
          waitingForAck = null;
          resume();
        }
        return;
      case 'spare':
        if (message.data.byteLength === CHUNK) spares.push(Buffer.from(message.data));
        return;
      case 'chunk':
        if (stream.push(Buffer.from(message.data, 0, message.length))) worker.postMessage({ type: 'credit' });
        else creditsOwed += 1;
        return;
      case 'end':
        ended = true;
        if (!fileWorker) markFile(undefined);
        stream.push(null);
        void worker.terminate();
        return;
      case 'error':
        return fail(failureOf(message));
    }
  });
  fileWorker?.on('message', (message: FromFileWorker) => {
    switch (message.type) {
      case 'written':
        return onWritten(message.bytes);
      case 'end':
        fileEnded = true;
        markFile(message.file);
        void fileWorker.terminate();
        return;
      case 'error':
        return fail(failureOf(message));
    }
  });
  fileWorker?.on('error', (error) => fail(new LifeboatError('internal', `the archive file's worker failed: ${error.message}`)));
  fileWorker?.on('exit', (code) => {
    if (!fileEnded) fail(new LifeboatError('internal', `the archive file's worker stopped (exit code ${code})`));
  });
  // The worker itself failed (it could not load, ran out of memory): Lifeboat's fault, not the archive's.
  worker.on('error', (error) => fail(new LifeboatError('internal', `the OpenPGP worker failed: ${error.message}`)));
  worker.on('exit', (code) => {
    if (!ended && !stream.destroyed) fail(new LifeboatError('internal', `the OpenPGP worker stopped (exit code ${code})`));
  });
  const yieldCpu = (on: boolean) => {
    if (!ended && !stream.destroyed) worker.postMessage({ type: 'yield', on });
  };
  return { stream, ready, file, exited, yieldCpu };
}
