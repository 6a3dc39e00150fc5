import 'server-only';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ScryptOptions } from 'node:crypto';
import { LifeboatError } from '@/lib/errors';

// As lib/crypto/openpgp-thread.ts: Turbopack bundles the worker as an entry; under Vitest and the CLI
// scripts Node loads the file itself.
const WORKER_FILE = path.join(process.cwd(), 'lib/auth/scrypt-worker.mjs');
/** Hashes waiting at once; beyond, a sign-in is refused at once instead of queueing (a flood). */
const MAX_WAITING = 32;

type Pending = { resolve: (key: Buffer) => void; reject: (error: Error) => void };

let worker: Worker | null = null;
const pending = new Map<number, Pending>();
let nextId = 0;

function thread(): Worker {
  if (worker) return worker;
  const started = new Worker(WORKER_FILE);
  started.on('message', ({ id, key, error }: { id: number; key?: Uint8Array; error?: string }) => {
    const waiting = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) started.unref();
    if (error !== undefined) waiting?.reject(new Error(error));
    else waiting?.resolve(Buffer.from(key!));
  });
  const fail = (error: Error) => {
    worker = null;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  started.on('error', fail);
  started.on('exit', (code) => fail(new Error(`the password thread exited (${code})`)));
  worker = started;
  return started;
}

/** scrypt on Lifeboat's password thread. */
export function scryptOnThread(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  if (pending.size >= MAX_WAITING) return Promise.reject(new LifeboatError('too_many_requests', 'too many sign-ins at once: try again in a moment'));
  const id = nextId++;
  return new Promise<Buffer>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    // Held while a hash is waiting, let go when none is: an idle thread never keeps a process alive.
    thread().ref();
    thread().postMessage({ id, password, salt: new Uint8Array(salt), keyLength, options });
  });
}
