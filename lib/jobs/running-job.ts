import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import { db, type Db } from '@/lib/db';
import { messageOf } from '@/lib/errors';
import { ensureHeartbeat } from './heartbeat';
import { JobAborted } from './job-abort';
import { processOwner, type LocalJob } from './job-owner';
import type { JobProgress } from './progress-figures';
import { canMove, isFinal, isRunning, type FinalState, type JobKind, type JobState, type JobTimings } from './job-states';

/**
 * Mirrors a job's state, and where its time went, into its history row, in the same transaction.
 * `ending`: this move ends the job (from a running state to a final one); a `warning` that later
 * resolves is not an ending.
 */
export type HistoryMirror = (tx: Db, state: JobState, timings: JobTimings, ending: boolean) => Promise<unknown>;

export type { JobProgress };

const PROGRESS_EVERY_MS = 250;
/** How long a job keeps trying to record its end while the database refuses (a full disk), and how often. */
const SETTLE_FOR_MS = 10 * 60_000;
const SETTLE_EVERY_MS = 2_000;

/**
 * A job this process owns. Every write names the fence the process holds: once another process has
 * taken the job over, writes fail and the job's signal aborts, so a process declared dead acts no more.
 */
export class RunningJob implements LocalJob {
  private readonly abort = new AbortController();
  private readonly takenOver = new AbortController();
  private progressDue: NodeJS.Timeout | null = null;
  private restart: Promise<boolean> | null = null;
  private taken = false;
  private cancelRefusal: string | null = null;
  private readonly timings: JobTimings = {};
  private step: string;
  private stepStartedAt = Date.now();
  private markReleased!: () => void;
  readonly released = new Promise<void>((resolve) => (this.markReleased = resolve));
  readonly progress: JobProgress;

  constructor(
    readonly id: string,
    readonly kind: JobKind,
    private readonly fence: number,
    private state: JobState,
    private readonly mirror: HistoryMirror | null,
  ) {
    this.step = state;
    this.progress = { volume: null, volumeIndex: 0, volumeCount: 0, bytesRead: 0, bytesTotal: null, encryptedBytes: 0, startedAt: Date.now() };
    processOwner.jobs.set(id, this);
    ensureHeartbeat();
  }

  /** Aborts when the job is cancelled, cut short by a shutdown, or taken over by another process. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get currentState() {
    return this.state;
  }

  throwIfStopped() {
    if (this.abort.signal.aborted) throw this.abort.signal.reason;
  }

  /** Moves to `state`, with `alsoRecord` (the history's own fields) in the same transaction. */
  async move(state: JobState, alsoRecord?: (tx: Db) => Promise<unknown>) {
    if (!canMove(this.state, state)) throw new Error(`job ${this.id}: no move from ${this.state} to ${state}`);
    const timings = this.timeStep(state);
    const ending = isRunning(this.state) && isFinal(state);
    if (isRunning(state)) this.reportProgress({ stateSince: Date.now() });
    await db.$transaction(async (tx) => {
      await this.write(tx, { state, ...(isFinal(state) ? { finishedAt: new Date() } : {}) });
      // What the job records first, then its state: the mirror sees the history row whole (a webhook reports it).
      await alsoRecord?.(tx);
      await this.mirror?.(tx, state, timings, ending);
    });
    this.state = state;
  }

  /** Ends the current step's clock and starts `next`'s: a state, or a step timed apart within one (`emptying` within `writing`). */
  timeStep(next: string): JobTimings {
    const now = Date.now();
    if (this.step !== 'queued' && !isFinal(this.step as JobState)) this.timings[this.step] = (this.timings[this.step] ?? 0) + now - this.stepStartedAt;
    this.step = next;
    this.stepStartedAt = now;
    return { ...this.timings };
  }

  /**
   * A write to the job's history that only its owner may make: refused once another process took the job
   * over; retried while the database refuses it (a full disk), because what it records must not be lost.
   */
  async record(write: (tx: Db) => Promise<unknown>) {
    await this.settle(() =>
      db.$transaction(async (tx) => {
        await this.write(tx, { heartbeatAt: new Date() });
        await write(tx);
      }),
    );
  }

  /** Progress for any process to read, written a few times a second at most. */
  reportProgress(change: Partial<JobProgress>) {
    Object.assign(this.progress, change);
    this.progressDue ??= setTimeout(() => {
      this.progressDue = null;
      this.flushProgress().catch(() => {});
    }, PROGRESS_EVERY_MS);
  }

  private async flushProgress() {
    await db.job.updateMany({ where: this.mine(), data: { progress: JSON.stringify(this.progress) } });
  }

  /** Containers of this job are being started again in the background: its leases last until they are. */
  restartingInBackground(restart: Promise<boolean>) {
    this.restart = restart.catch((error) => {
      console.error(`lifeboat: job ${this.id}: starting its containers again failed: ${messageOf(error)}`);
      return false;
    });
  }

  /**
   * Ends the job. A success whose containers are still being started again shows as `warning` until
   * they run (then `succeeded`); the leases end once the node is back, or once that is given up.
   */
  async end(state: FinalState, alsoRecord?: (tx: Db) => Promise<unknown>) {
    const restart = this.restart;
    const shown = state === 'succeeded' && restart ? 'warning' : state;
    try {
      await this.settle(() => this.move(shown, alsoRecord));
    } catch (error) {
      this.leave();
      throw error;
    }
    if (!restart) return this.release();
    restart
      .then(async (back) => {
        if (!back) return this.leave();
        if (shown === 'warning') await this.move('succeeded');
        await this.release();
      })
      .catch((error) => {
        console.error(`lifeboat: job ${this.id}: ${messageOf(error)}`);
        this.leave();
      });
  }

  /**
   * Ends, as failed, a job that holds nothing and whose history row is not kept (a verification its
   * opener could not open): `forget` removes that row in the same transaction, and nothing is announced.
   */
  async endUnrecorded(forget: (tx: Db) => Promise<unknown>) {
    try {
      await this.settle(() =>
        db.$transaction(async (tx) => {
          await this.write(tx, { state: 'failed', finishedAt: new Date() });
          await forget(tx);
        }),
      );
    } catch (error) {
      this.leave();
      throw error;
    }
    this.state = 'failed';
    await this.release();
  }

  /** The node is as the job found it: the leases end and this process stops heart-beating the job. */
  async release() {
    if (this.progressDue) clearTimeout(this.progressDue);
    this.progressDue = null;
    try {
      await this.settle(async () => {
        await this.flushProgress();
        await db.job.updateMany({ where: this.mine(), data: { releasedAt: new Date() } });
      });
    } finally {
      this.forget();
    }
  }

  /**
   * Stops acting for the job and heart-beating it, but leaves its leases held: a job whose node is not
   * back yet (containers that did not start, an end the database would not record) is then taken over
   * by the supervisor of a live process, which tries again.
   */
  leave() {
    this.forget();
  }

  /** Aborts only when another process took the job over: what must go on through a shutdown (restarts) stops on this. */
  get takenSignal(): AbortSignal {
    return this.takenOver.signal;
  }

  /**
   * Another process took the job over: it stops acting and heart-beating at once, but counts as released
   * only once its work has stopped (its end refused, or `leave`): on the way, it removes the files it made.
   */
  fenced() {
    if (this.taken) return;
    this.taken = true;
    this.takenOver.abort();
    this.stop(new JobAborted('interrupted', 'another Lifeboat process took this job over (this one had stopped answering)'));
    this.unlist();
    processOwner.fencedWork.add(this.released);
    void this.released.then(() => processOwner.fencedWork.delete(this.released));
  }

  /** A user asked to cancel it: aborts it, unless it has a reason to refuse now. */
  cancel() {
    if (!this.cancelRefusal) this.stop(new JobAborted('cancelled', 'cancelled'));
  }

  /** From now on, a cancel is ignored (`reason` says why): stopping would leave the node worse than finishing. */
  refuseCancel(reason: string) {
    this.cancelRefusal = reason;
  }

  interrupt(message: string) {
    this.stop(new JobAborted('interrupted', message));
  }

  /** Fails when another process owns the job now: checked before anything stops. */
  async confirmOwnership() {
    this.throwIfStopped();
    const row = await db.job.findUnique({ where: { id: this.id }, select: { ownerId: true, fence: true } });
    if (row?.ownerId !== processOwner.id || row.fence !== this.fence) {
      this.fenced();
      this.throwIfStopped();
    }
  }

  /**
   * How a job ends must be recorded, or its node stays held: while the database refuses the write (the
   * data directory is full), try again, unless another process took the job over.
   */
  private async settle(write: () => Promise<unknown>) {
    const giveUpAt = Date.now() + SETTLE_FOR_MS;
    for (let said = false; ; said = true) {
      try {
        return await write();
      } catch (error) {
        if (this.taken || Date.now() > giveUpAt) throw error;
        if (!said) console.error(`lifeboat: job ${this.id}: recording how it ended failed (${messageOf(error)}); trying again every ${SETTLE_EVERY_MS / 1000} s`);
        await sleep(SETTLE_EVERY_MS);
      }
    }
  }

  private stop(reason: JobAborted) {
    if (!this.abort.signal.aborted) this.abort.abort(reason);
  }

  private forget() {
    this.unlist();
    this.markReleased();
  }

  private unlist() {
    if (processOwner.jobs.get(this.id) === this) processOwner.jobs.delete(this.id);
  }

  private mine() {
    return { id: this.id, ownerId: processOwner.id, fence: this.fence };
  }

  private async write(tx: Db, data: Parameters<Db['job']['updateMany']>[0]['data']) {
    const { count } = await tx.job.updateMany({ where: this.mine(), data });
    if (count === 0) {
      this.fenced();
      this.throwIfStopped();
    }
  }
}
