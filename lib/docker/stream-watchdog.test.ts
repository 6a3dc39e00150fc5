import { once } from 'node:events';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable, Writable, pipeline } from 'node:stream';
import { finished } from 'node:stream/promises';
import Docker from 'dockerode';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { streamIdleMs } from '@/lib/config';
import { LifeboatError } from '@/lib/errors';
import { Engine } from './engine';
import { describeIdle, guardRead, guardWrite, type StallGuard } from './stream-watchdog';

const IDLE_MS = 1000;
const KB = 1024;

/** Lets the streams do what their queued ticks and I/O callbacks have to do (fake timers do not touch setImmediate). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const stalledError = (what: string) => new LifeboatError('engine_unavailable', `ctrl-2: ${what}: no data for ${describeIdle(IDLE_MS)}: the engine stalled`);

/** The error the guard failed with, as soon as it fails. */
function failure(guard: StallGuard): Promise<Error> {
  return once(guard, 'error').then(([error]) => error as Error);
}

describe('describeIdle', () => {
  it('says seconds from one second up, else milliseconds', () => {
    expect(describeIdle(30_000)).toBe('30 s');
    expect(describeIdle(1500)).toBe('1.5 s');
    expect(describeIdle(200)).toBe('200 ms');
  });
});

describe('streamIdleMs (LIFEBOAT_STREAM_IDLE_MS, read when called)', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('is 30 s unless set, and follows the environment as it changes', () => {
    vi.stubEnv('LIFEBOAT_STREAM_IDLE_MS', undefined);
    expect(streamIdleMs()).toBe(30_000);
    vi.stubEnv('LIFEBOAT_STREAM_IDLE_MS', '250');
    expect(streamIdleMs()).toBe(250);
  });

  it('refuses what is not a positive whole number of ms', () => {
    for (const bad of ['0', '-5', '1.5', 'soon', '']) {
      vi.stubEnv('LIFEBOAT_STREAM_IDLE_MS', bad);
      expect(() => streamIdleMs()).toThrow(/LIFEBOAT_STREAM_IDLE_MS must be a positive whole number of ms/);
    }
  });
});

describe('guardRead (peer → guard → us)', () => {
  let peer: PassThrough;
  let guard: StallGuard;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    peer = new PassThrough();
    guard = guardRead({ idleMs: IDLE_MS, stalled: () => stalledError('reading volume ucp-kv') });
    pipeline(peer, guard, () => {});
  });

  afterEach(() => {
    peer.destroy();
    guard.destroy();
    vi.useRealTimers();
  });

  it('fails after idleMs of silence while we read, names the read, and destroys the peer stream', async () => {
    const failed = failure(guard);
    guard.resume();
    peer.write('first bytes');
    await settle();
    await vi.advanceTimersByTimeAsync(IDLE_MS - 1);
    expect(guard.errored).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    const error = await failed;
    expect(error).toBeInstanceOf(LifeboatError);
    expect(error.message).toBe('ctrl-2: reading volume ucp-kv: no data for 1 s: the engine stalled');
    expect(peer.destroyed).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never fails while bytes keep coming, however long the read', async () => {
    const received: Buffer[] = [];
    guard.on('data', (chunk: Buffer) => received.push(chunk));
    for (let i = 0; i < 40; i++) {
      peer.write(`chunk ${i};`);
      await settle();
      await vi.advanceTimersByTimeAsync(IDLE_MS - 1);
    }
    expect(guard.errored).toBeNull();
    peer.end();
    await finished(guard);
    expect(Buffer.concat(received).toString()).toMatch(/^chunk 0;.*chunk 39;$/);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not fail while WE apply back-pressure, only once we read again and the peer is silent', async () => {
    // Far more than the guard and the peer's stream buffer: with nobody reading, the guard fills up and stops asking.
    for (let i = 0; i < 16; i++) peer.write(Buffer.alloc(16 * KB, i));
    await settle();
    expect(guard.readableLength).toBeGreaterThanOrEqual(guard.readableHighWaterMark);
    await vi.advanceTimersByTimeAsync(10 * IDLE_MS);
    expect(guard.errored).toBeNull();
    expect(vi.getTimerCount()).toBe(0);

    // We read everything the peer had sent; from then on, it is the peer that keeps us waiting.
    const failed = failure(guard);
    let bytes = 0;
    guard.on('data', (chunk: Buffer) => (bytes += chunk.length));
    while (bytes < 16 * 16 * KB) await settle();
    await vi.advanceTimersByTimeAsync(IDLE_MS - 1);
    expect(guard.errored).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect((await failed).message).toMatch(/no data for 1 s: the engine stalled$/);
  });

  it('leaves no timer when the peer stream ends', async () => {
    guard.resume();
    peer.write('bytes');
    await settle();
    expect(vi.getTimerCount()).toBe(1);
    peer.end('last bytes');
    await finished(guard);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves no timer when the peer stream fails, and passes its error on', async () => {
    const failed = failure(guard);
    guard.resume();
    await settle();
    expect(vi.getTimerCount()).toBe(1);
    peer.destroy(new Error('connection reset'));
    expect((await failed).message).toBe('connection reset');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves no timer when we destroy it, and destroys the peer stream', async () => {
    guard.resume();
    await settle();
    expect(vi.getTimerCount()).toBe(1);
    guard.destroy();
    await settle();
    expect(peer.destroyed).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('guardWrite (us → guard → peer)', () => {
  let source: PassThrough;
  let guard: StallGuard;
  let peer: Writable;
  /** The peer takes a chunk only when we call these (a stalled engine: never). */
  let held: (() => void)[];
  let peerStalled: boolean;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    held = [];
    peerStalled = false;
    source = new PassThrough();
    guard = guardWrite({ idleMs: IDLE_MS, stalled: () => stalledError('writing volume ucp-kv') });
    peer = new Writable({
      highWaterMark: 4 * KB,
      write(_chunk, _encoding, callback) {
        if (peerStalled) held.push(() => callback());
        else callback();
      },
    });
    source.pipe(guard).pipe(peer);
  });

  afterEach(() => {
    source.destroy();
    guard.destroy();
    peer.destroy();
    vi.useRealTimers();
  });

  it('fails after idleMs when the peer takes nothing while bytes wait for it', async () => {
    const failed = failure(guard);
    peerStalled = true;
    source.write(Buffer.alloc(64 * KB));
    await settle();
    expect(guard.readableFlowing).toBe(false);
    await vi.advanceTimersByTimeAsync(IDLE_MS - 1);
    expect(guard.errored).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect((await failed).message).toBe('ctrl-2: writing volume ucp-kv: no data for 1 s: the engine stalled');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('counts the last bytes too: the source ended, but the peer never took them', async () => {
    const failed = failure(guard);
    peerStalled = true;
    source.end(Buffer.alloc(64 * KB));
    await settle();
    await vi.advanceTimersByTimeAsync(IDLE_MS);
    expect((await failed).message).toMatch(/stalled$/);
  });

  it('does not fail while WE have nothing to give', async () => {
    source.write('some bytes');
    await settle();
    await vi.advanceTimersByTimeAsync(10 * IDLE_MS);
    expect(guard.errored).toBeNull();
    expect(vi.getTimerCount()).toBe(0);
    source.end('the end');
    await finished(peer);
  });

  it('never fails while the peer takes bytes, however slowly', async () => {
    peerStalled = true;
    source.end(Buffer.alloc(256 * KB));
    // The peer takes one chunk every idleMs - 1: slow, but moving.
    while (!guard.readableEnded) {
      await vi.advanceTimersByTimeAsync(IDLE_MS - 1);
      held.shift()?.();
      await settle();
    }
    expect(guard.errored).toBeNull();
    peerStalled = false;
    for (const take of held.splice(0)) take();
    await finished(peer);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves no timer once the peer has taken the last byte', async () => {
    peerStalled = true;
    source.write(Buffer.alloc(64 * KB));
    await settle();
    expect(vi.getTimerCount()).toBe(1);
    peerStalled = false;
    source.end();
    for (const take of held.splice(0)) take();
    await once(guard, 'end');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves no timer when destroyed, with or without an error', async () => {
    peerStalled = true;
    source.write(Buffer.alloc(64 * KB));
    await settle();
    expect(vi.getTimerCount()).toBe(1);
    const failed = failure(guard);
    guard.destroy(new Error('the tar stream failed'));
    expect((await failed).message).toBe('the tar stream failed');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops watching for good once disarmed (the peer answered)', async () => {
    peerStalled = true;
    source.write(Buffer.alloc(64 * KB));
    await settle();
    guard.disarm();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10 * IDLE_MS);
    expect(guard.errored).toBeNull();
  });
});

/**
 * The Engine against a fake engine on a unix socket, with real (short) timers: the guards fail the
 * transfer with a message that names the engine and the operation, and the connection is closed.
 */
describe('Engine archive streams, against an engine that stalls', () => {
  // Long enough that a loaded machine (a lab's tests beside) never leaves a healthy stream idle that long.
  const idleMs = 600;
  let dir: string;
  let server: http.Server;
  let engine: Engine;
  /** What the fake engine does with each request. */
  let handle: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  /** Settles when the fake engine sees the client's connection close. */
  let clientGone: Promise<unknown>;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lifeboat-watchdog-'));
    const socketPath = path.join(dir, 'docker.sock');
    server = http.createServer((req, res) => {
      // 'close', whether or not the socket saw an error first (a body cut short does not parse).
      clientGone = new Promise((resolve) => req.socket.once('close', resolve));
      req.on('error', () => {}); // The client went away: what these tests want.
      handle(req, res);
    });
    server.listen(socketPath);
    await once(server, 'listening');
    engine = new Engine('ctrl-2', new Docker({ socketPath }), 2000, idleMs);
  });

  afterEach(async () => {
    server.closeAllConnections();
    server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const tarStream = (bytes: number) => {
    const pack = tar.pack();
    pack.entry({ name: 'kv.db', size: bytes }, Buffer.alloc(bytes, 1));
    pack.finalize();
    return pack as unknown as Readable;
  };

  it('readArchive: a body that stops mid-copy fails, naming the engine and the read, and the request is aborted', async () => {
    handle = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/x-tar' });
      res.write(Buffer.alloc(10 * KB));
    };
    const body = await engine.readArchive('reader', '/lifeboat/ucp-kv', new AbortController().signal, 'reading volume ucp-kv');
    body.resume();
    const [error] = await once(body, 'error');
    expect(error).toBeInstanceOf(LifeboatError);
    expect(error).toMatchObject({ code: 'engine_unavailable', message: 'ctrl-2: reading volume ucp-kv: no data for 600 ms: the engine stalled' });
    await clientGone;
  });

  it('readArchive: a body that a slow consumer reads late still arrives whole', async () => {
    const size = 8 * 1024 * KB;
    handle = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/x-tar' });
      res.end(Buffer.alloc(size, 7));
    };
    const body = await engine.readArchive('reader', '/lifeboat/ucp-kv', new AbortController().signal, 'reading volume ucp-kv');
    // The consumer is the slow party here, for 5 × the idle deadline: that is no stall.
    await new Promise((resolve) => setTimeout(resolve, 5 * idleMs));
    let bytes = 0;
    for await (const chunk of body) bytes += (chunk as Buffer).length;
    expect(bytes).toBe(size);
  });

  it('writeArchive: an engine that stops taking the upload fails it, naming the write, and the request is aborted', async () => {
    let upload: http.IncomingMessage | undefined;
    handle = (req) => (upload = req.pause());
    let sent = 0;
    const endless = new Readable({
      read() {
        sent += 64 * KB;
        this.push(Buffer.alloc(64 * KB));
      },
    });
    const write = engine.writeArchive('writer', '/lifeboat/ucp-kv', endless, new AbortController().signal, 'writing volume ucp-kv');
    await expect(write).rejects.toThrow(new LifeboatError('engine_unavailable', 'ctrl-2: writing volume ucp-kv: no data taken for 600 ms: the engine stalled'));
    expect(sent).toBeGreaterThan(0);
    // The engine wakes up: it reads what was sent, then sees that the connection is gone.
    upload!.resume();
    await clientGone;
  });

  it('writeArchive: an engine that takes the whole upload but never answers fails it', async () => {
    handle = (req) => req.resume();
    const write = engine.writeArchive('writer', '/lifeboat/ucp-kv', tarStream(256 * KB), new AbortController().signal, 'writing volume ucp-kv');
    await expect(write).rejects.toThrow('ctrl-2: writing volume ucp-kv: no answer for 600 ms after the upload: the engine stalled');
    await clientGone;
  });

  it('writeArchive: an engine that pauses but keeps moving succeeds, however long it takes (a tar streamed as the restore sends it)', async () => {
    let received = 0;
    handle = (req, res) => {
      // Reads a chunk (64 KiB at most), then pauses: about 6 MB/s. What we see of its progress is a
      // socket buffer's worth at a time (a few hundred KiB): well within the idle deadline.
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        req.pause();
        setTimeout(() => req.resume(), 10);
      });
      req.on('end', () => res.end());
    };
    const started = performance.now();
    await engine.writeArchive('writer', '/lifeboat/ucp-kv', tarStream(4 * 1024 * KB), new AbortController().signal);
    expect(received).toBeGreaterThanOrEqual(4 * 1024 * KB);
    expect(performance.now() - started).toBeGreaterThan(idleMs);
  });

  it('writeArchive: other failures keep their wording, with `write <path>` by default', async () => {
    handle = (req, res) => {
      req.resume();
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: 'No such container: writer' }));
    };
    await expect(engine.writeArchive('writer', '/lifeboat/ucp-kv', tarStream(KB), new AbortController().signal)).rejects.toThrow(
      'ctrl-2: write /lifeboat/ucp-kv: No such container: writer',
    );
  });
});
