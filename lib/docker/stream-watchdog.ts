import { Transform, type TransformCallback } from 'node:stream';

/*
 * Watchdogs for streams exchanged with a peer (a Docker engine) that may stall mid-transfer.
 *
 * The rule: a stream stalls when the PEER keeps us waiting for `idleMs` on end, never when we do.
 * Time counts only while we wait on the peer, and restarts at each byte it moves:
 *  - reading (peer → guard → us): while a read is pending (our side asked for more, so the guard's
 *    buffer is below its high-water mark) and no byte has arrived since it was asked. While our
 *    side applies back-pressure (the buffer is full: we are not reading), the peer is not being
 *    asked for anything and the clock stands still.
 *  - writing (us → guard → peer): while the guard holds bytes the peer has not taken, that is while
 *    whoever pipes the guard to the peer has paused it because the peer's side is full (or, before
 *    it is piped, while bytes wait in it), and no byte has been taken since. While our side has
 *    nothing to give, the clock stands still. What the peer takes is seen a buffer at a time (the
 *    socket's and the kernel's: some hundreds of KiB), so a peer must take that much per `idleMs`.
 * A guard's clock stops for good when its transfer ends (read: the peer's stream ended; write: the
 * peer took the last byte), or when the guard fails or is destroyed: no timer is left behind.
 */

/** The largest chunk a write guard passes on (a socket's usual read size). */
const WRITE_PIECE = 64 * 1024;

export type StallGuardOptions = {
  /** How long, in ms, the peer may keep us waiting. */
  idleMs: number;
  /**
   * The error the guard fails with when the peer stalls. Called once, at that moment: it may also
   * abort the transfer (the guard is destroyed with the error, and so are its stream.pipeline() partners).
   */
  stalled: () => Error;
};

/**
 * A pass-through for a stream read from the peer (pipe the peer's stream into it, read from it):
 * it fails with `stalled()` when the peer sends nothing for `idleMs` while a read is pending.
 */
export function guardRead(options: StallGuardOptions): StallGuard {
  return new StallGuard('read', options);
}

/**
 * A pass-through for a stream written to the peer (pipe our bytes into it, pipe it to the peer):
 * it fails with `stalled()` when the peer takes nothing for `idleMs` while bytes wait for it.
 * It ends when the peer has taken the last byte: the peer's answer is then the caller's to wait for.
 */
export function guardWrite(options: StallGuardOptions): StallGuard {
  return new StallGuard('write', options);
}

/** `idleMs` for messages: "30 s", "1.5 s", "200 ms". */
export function describeIdle(idleMs: number): string {
  return idleMs >= 1000 ? `${Number((idleMs / 1000).toFixed(1))} s` : `${idleMs} ms`;
}

export class StallGuard extends Transform {
  #clock: IdleClock;
  #readPending = false;

  constructor(
    private readonly direction: 'read' | 'write',
    { idleMs, stalled }: StallGuardOptions,
  ) {
    super();
    if (!(idleMs > 0)) throw new RangeError(`idleMs must be positive, not ${idleMs}`);
    this.#clock = new IdleClock(
      idleMs,
      () => this.#waitingOnPeer(),
      () => this.destroy(stalled()),
    );
  }

  /** Stops watching, for good: the transfer goes on, unguarded (e.g. once the peer has answered). */
  disarm() {
    this.#clock.stop();
  }

  #waitingOnPeer(): boolean {
    if (this.direction === 'read') return this.#readPending;
    // Paused by whoever pipes us to the peer: the peer's side is full. Not yet piped: bytes wait in us.
    return this.readableFlowing === false || (this.readableFlowing === null && this.readableLength > 0);
  }

  override _read(size: number) {
    if (this.direction === 'read') {
      this.#readPending = true;
      this.#clock.poke();
    }
    super._read(size);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    if (this.direction === 'read') {
      this.#readPending = false;
      this.#clock.progress();
      return callback(null, chunk);
    }
    // Progress is counted per chunk the peer's side takes: in pieces, so that a big chunk that the
    // peer takes slowly, but takes, is not mistaken for a stall.
    for (let at = 0; at < chunk.length; at += WRITE_PIECE) this.push(chunk.subarray(at, at + WRITE_PIECE));
    callback();
    this.#clock.poke();
  }

  override _flush(callback: TransformCallback) {
    // The peer's stream ended: nothing more to wait for from it.
    if (this.direction === 'read') this.#clock.stop();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void) {
    this.#clock.stop();
    super._destroy(error, callback);
  }

  // Seen here rather than by listeners, which would change the stream's mode ('data' starts it flowing).
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    const result = super.emit(event, ...args);
    if (this.direction === 'write') {
      if (event === 'data') this.#clock.progress();
      else if (event === 'pause') this.#clock.poke();
      else if (event === 'end') this.#clock.stop();
    }
    return result;
  }
}

/**
 * Counts how long `waiting()` has held since the last progress, with at most one timer, armed only
 * while waiting (bytes that move cost a timestamp, not a timer). Calls `onStall` once, at `idleMs`.
 */
class IdleClock {
  #since: number | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(
    private readonly idleMs: number,
    private readonly waiting: () => boolean,
    private readonly onStall: () => void,
  ) {}

  /** The peer moved a byte: the wait, if there still is one, starts again now. */
  progress() {
    this.#since = null;
    this.poke();
  }

  /** A wait may have begun: it counts from now, unless it was already counting. */
  poke() {
    if (this.#stopped || this.#since !== null || !this.waiting()) return;
    this.#since = performance.now();
    this.#arm(this.idleMs);
  }

  stop() {
    this.#stopped = true;
    this.#since = null;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(ms: number) {
    this.#timer ??= setTimeout(this.#check, ms);
  }

  #check = () => {
    this.#timer = undefined;
    if (this.#stopped) return;
    // Re-read the state: a wait can end without an event (a pipe resumed with nothing to send).
    if (!this.waiting()) {
      this.#since = null;
      return;
    }
    const now = performance.now();
    this.#since ??= now;
    const idle = now - this.#since;
    if (idle < this.idleMs) return this.#arm(this.idleMs - idle);
    this.stop();
    this.onStall();
  };
}
