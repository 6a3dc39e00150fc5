import 'server-only';
import fs from 'node:fs/promises';
import { Duplex } from 'node:stream';
import { newSpoolIv, openRecord, sealRecord } from '@/lib/crypto/spool-cipher';
import { noRoomOr } from './archive-store';

const MiB = 1024 * 1024;
/** What the reader has not taken yet, held in memory before the rest goes to disk. */
const MEMORY_BYTES = 8 * MiB;
const RECORD_BYTES = MiB;

/**
 * A pipe whose writer never waits for its reader, only for the disk: what the reader has not taken
 * yet is held in memory up to a bound, and beyond it sealed into a spool file (encrypted and
 * authenticated with the job's throwaway key) and read back in order. A backup's engine read thus runs
 * at the engine's speed, whether the archive is packed from the same bytes as they come or, as a backup
 * does, once the copy is whole; the spool costs nothing while the reader keeps up.
 */
export class SpillBuffer extends Duplex {
  private readonly memory: Buffer[] = [];
  private memoryBytes = 0;
  /** Once spilling, every write goes to the spool until the reader has caught up with it. */
  private spilling = false;
  private unsealed: Buffer[] = [];
  private unsealedBytes = 0;
  private sealing = false;
  private readonly sealed: number[] = [];
  private recordsRead = 0;
  private writeOffset = 0;
  private readOffset = 0;
  private readingRecord = false;
  /** The reader asked for more and has not had its fill yet. */
  private wanted = false;
  private writerDone = false;
  private file: Promise<fs.FileHandle> | null = null;
  private readonly iv = newSpoolIv();
  /** Bytes that went through the spool: 0 when the reader kept up. */
  spilledBytes = 0;

  constructor(
    private readonly path: string,
    private readonly key: Buffer,
    private readonly what: string,
    private readonly memoryLimit = MEMORY_BYTES,
  ) {
    super({ readableHighWaterMark: MiB, writableHighWaterMark: MiB });
  }

  _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void) {
    if (!this.spilling && this.memoryBytes + chunk.length <= this.memoryLimit) {
      this.memory.push(chunk);
      this.memoryBytes += chunk.length;
      this.feed();
      return callback();
    }
    this.spilling = true;
    this.unsealed.push(chunk);
    this.unsealedBytes += chunk.length;
    this.spilledBytes += chunk.length;
    if (this.unsealedBytes < RECORD_BYTES) {
      this.feed();
      return callback();
    }
    this.seal().then(() => callback(), callback);
  }

  _final(callback: (error?: Error | null) => void) {
    this.writerDone = true;
    this.feed();
    callback();
  }

  _read() {
    this.wanted = true;
    this.feed();
  }

  async _destroy(error: Error | null, callback: (error?: Error | null) => void) {
    const file = this.file;
    this.file = null;
    await file?.then((handle) => handle.close()).catch(() => {});
    callback(error);
  }

  /** Hands the reader what comes next, in order: memory, then sealed records, then what is not sealed yet. */
  private feed() {
    if (this.readingRecord || this.destroyed) return;
    while (this.wanted) {
      const chunk = this.memory.shift();
      if (chunk) {
        this.memoryBytes -= chunk.length;
        this.wanted = this.push(chunk);
        continue;
      }
      if (this.recordsRead < this.sealed.length) return void this.readRecord();
      if (this.sealing) return;
      if (this.unsealedBytes > 0) {
        // The reader has caught up with the spool: what follows can go through memory again.
        const caughtUp = this.unsealed;
        this.unsealed = [];
        this.unsealedBytes = 0;
        this.spilling = false;
        this.memory.push(...caughtUp);
        this.memoryBytes += caughtUp.reduce((n, b) => n + b.length, 0);
        continue;
      }
      if (this.writerDone) this.push(null);
      return;
    }
  }

  private async seal() {
    this.sealing = true;
    try {
      const record = this.sealed.length;
      const pieces = sealRecord(this.key, this.iv, record, Buffer.concat(this.unsealed, this.unsealedBytes));
      this.unsealed = [];
      this.unsealedBytes = 0;
      const length = pieces.reduce((n, b) => n + b.length, 0);
      const file = await (this.file ??= fs.open(this.path, 'wx+', 0o600));
      await file.writev(pieces, this.writeOffset);
      this.writeOffset += length;
      this.sealed.push(length);
    } catch (error) {
      throw noRoomOr(error, `spooling ${this.what}`);
    } finally {
      this.sealing = false;
    }
    this.feed();
  }

  private readRecord() {
    this.readingRecord = true;
    const length = this.sealed[this.recordsRead];
    const record = this.recordsRead;
    const buffer = Buffer.allocUnsafe(length);
    this.file!.then((file) => file.read(buffer, 0, length, this.readOffset))
      .then(({ bytesRead }) => {
        this.readingRecord = false;
        if (this.destroyed) return;
        this.readOffset += length;
        this.recordsRead += 1;
        // A record cut short opens as changed, like one whose bytes were.
        const pieces = openRecord(this.key, this.iv, record, buffer.subarray(0, bytesRead));
        for (const piece of pieces) this.wanted = this.push(piece);
        this.feed();
      })
      .catch((error) => {
        this.readingRecord = false;
        this.destroy(error);
      });
  }
}
