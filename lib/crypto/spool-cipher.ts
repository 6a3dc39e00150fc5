import 'server-only';
import { createCipheriv, createDecipheriv, randomBytes, type CipherGCM, type DecipherGCM } from 'node:crypto';
import { Transform } from 'node:stream';

const SPOOL_CIPHER = 'aes-256-gcm';
const TAG_BYTES = 16;
/** GCM may take at most 64 GiB under one IV: a spool is sealed in segments well below that, each with its own IV and tag. */
const SEGMENT_BYTES = 16 * 1024 ** 3;
const CHANGED = 'a spool file was changed on disk while the job ran';

/**
 * A throwaway key, held only in memory, for the on-disk spools a job writes: no plaintext ever reaches
 * the disk, a crash leaves only unreadable bytes, and a spool changed on disk is noticed (AES-256-GCM).
 */
export function newSpoolKey(): Buffer {
  return randomBytes(32);
}

export function newSpoolIv(): Buffer {
  return randomBytes(12);
}

/** Segment n's IV: the spool's IV with n added to its last 32 bits, so no two segments share one. */
function segmentIv(iv: Buffer, segment: number) {
  const derived = Buffer.from(iv);
  derived.writeUInt32BE((iv.readUInt32BE(8) + segment) >>> 0, 8);
  return derived;
}

type SegmentHandlers = { start: (n: number) => void; update: (part: Buffer) => Buffer; end: (n: number, last: boolean) => void };

/** Splits a stream into segments of `segmentBytes`, calling `start` for each and `end` when it is full or the stream ends. */
function segmented(segmentBytes: number, handlers: SegmentHandlers) {
  let segment = 0;
  let inSegment = 0;
  handlers.start(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        for (let offset = 0; offset < chunk.length;) {
          const part = chunk.subarray(offset, offset + segmentBytes - inSegment);
          this.push(handlers.update(part));
          offset += part.length;
          inSegment += part.length;
          if (inSegment === segmentBytes) {
            handlers.end(segment, false);
            handlers.start(++segment);
            inSegment = 0;
          }
        }
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      try {
        handlers.end(segment, true);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}

/** Encrypts and authenticates; `tag()` is what `spoolOpener` needs, once the stream has flushed. */
export function spoolSealer(key: Buffer, iv: Buffer, segmentBytes = SEGMENT_BYTES): Transform & { tag: () => Buffer } {
  let cipher!: CipherGCM;
  const tags: Buffer[] = [];
  let sealed = false;
  const sealer = segmented(segmentBytes, {
    start: (n) => (cipher = createCipheriv(SPOOL_CIPHER, key, segmentIv(iv, n))),
    update: (part) => cipher.update(part),
    end: (_n, last) => {
      cipher.final();
      tags.push(cipher.getAuthTag());
      sealed = last;
    },
  });
  return Object.assign(sealer, {
    tag: () => {
      if (!sealed) throw new Error('the spool is not sealed yet');
      return Buffer.concat(tags);
    },
  });
}

/** Decrypts a sealed spool; fails, instead of ending, when any of it is not what was sealed. */
export function spoolOpener(key: Buffer, iv: Buffer, tag: Buffer, segmentBytes = SEGMENT_BYTES): Transform {
  const tags = Array.from({ length: Math.floor(tag.length / TAG_BYTES) }, (_, n) => tag.subarray(n * TAG_BYTES, (n + 1) * TAG_BYTES));
  let decipher!: DecipherGCM;
  return segmented(segmentBytes, {
    start: (n) => {
      decipher = createDecipheriv(SPOOL_CIPHER, key, segmentIv(iv, n));
      if (n < tags.length) decipher.setAuthTag(tags[n]);
    },
    update: (part) => decipher.update(part),
    end: (n, last) => {
      // More segments than were sealed, a segment whose tag fails, or an end before the last one.
      const whole = n < tags.length && (!last || n === tags.length - 1);
      try {
        decipher.final();
      } catch {
        throw new Error(CHANGED);
      }
      if (!whole) throw new Error(CHANGED);
    },
  });
}
