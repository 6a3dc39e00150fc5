import 'server-only';
import { createCipheriv, createDecipheriv, randomBytes, type CipherGCM } from 'node:crypto';
import { Transform } from 'node:stream';

const SPOOL_CIPHER = 'aes-256-gcm';
const TAG_BYTES = 16;
/** Each record is authenticated on its own, and its bytes released only once its tag checks out. */
const RECORD_BYTES = 1024 * 1024;

/** A spool that is not what was sealed: changed, cut or added to on disk. */
export class SpoolChanged extends Error {
  constructor() {
    super('a spool file was changed on disk while the job ran');
    this.name = 'SpoolChanged';
  }
}

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

/** Record n's IV: the spool's IV with n added to its last 32 bits, so no two records share one. */
function recordIv(iv: Buffer, record: number) {
  const derived = Buffer.from(iv);
  derived.writeUInt32BE((iv.readUInt32BE(8) + record) >>> 0, 8);
  return derived;
}

const SLICE = 64 * 1024;

/** One whole record, sealed: its ciphertext (in pieces: Node's ciphers are fastest at 64 KiB), then its tag. */
export function sealRecord(key: Buffer, iv: Buffer, record: number, plaintext: Buffer): Buffer[] {
  const cipher = createCipheriv(SPOOL_CIPHER, key, recordIv(iv, record));
  const sealed: Buffer[] = [];
  for (let offset = 0; offset < plaintext.length; offset += SLICE) sealed.push(cipher.update(plaintext.subarray(offset, offset + SLICE)));
  cipher.final();
  sealed.push(cipher.getAuthTag());
  return sealed;
}

/** The plaintext of a record `sealRecord` made (in pieces), once its tag checks out; SpoolChanged otherwise. */
export function openRecord(key: Buffer, iv: Buffer, record: number, sealed: Buffer): Buffer[] {
  if (sealed.length < TAG_BYTES) throw new SpoolChanged();
  const decipher = createDecipheriv(SPOOL_CIPHER, key, recordIv(iv, record));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  const body = sealed.subarray(0, sealed.length - TAG_BYTES);
  const plain: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += SLICE) plain.push(decipher.update(body.subarray(offset, offset + SLICE)));
  try {
    decipher.final();
  } catch {
    throw new SpoolChanged();
  }
  return plain;
}

/**
 * Encrypts in records of `recordBytes`, each followed by its tag; `records()` is what `spoolOpener`
 * needs (the count, so that a spool cut short at a record's end is noticed), once the stream has flushed.
 */
export function spoolSealer(key: Buffer, iv: Buffer, recordBytes = RECORD_BYTES): Transform & { records: () => number } {
  let records = 0;
  let inRecord = 0;
  let cipher: CipherGCM = createCipheriv(SPOOL_CIPHER, key, recordIv(iv, 0));
  let sealed = false;
  const endRecord = (push: (chunk: Buffer) => void) => {
    cipher.final();
    push(cipher.getAuthTag());
    records++;
    inRecord = 0;
  };
  const sealer = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        for (let offset = 0; offset < chunk.length;) {
          if (inRecord === 0 && records > 0) cipher = createCipheriv(SPOOL_CIPHER, key, recordIv(iv, records));
          const part = chunk.subarray(offset, offset + recordBytes - inRecord);
          this.push(cipher.update(part));
          offset += part.length;
          inRecord += part.length;
          if (inRecord === recordBytes) endRecord((tag) => this.push(tag));
        }
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      try {
        // The last record, or the one empty record of an empty spool; not an empty one after full records.
        if (inRecord > 0 || records === 0) endRecord((tag) => this.push(tag));
        sealed = true;
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  return Object.assign(sealer, {
    records: () => {
      if (!sealed) throw new Error('the spool is not sealed yet');
      return records;
    },
  });
}

/**
 * Decrypts a sealed spool record by record, releasing each record's bytes only once its tag checks out;
 * fails, instead of ending, when any record is not what was sealed, is missing, or was added.
 */
export function spoolOpener(key: Buffer, iv: Buffer, records: number, recordBytes = RECORD_BYTES): Transform {
  const sealedRecord = recordBytes + TAG_BYTES;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let opened = 0;
  const open = (record: Buffer) => {
    if (opened >= records) throw new SpoolChanged();
    return openRecord(key, iv, opened++, record);
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes < sealedRecord) return callback();
        let all = Buffer.concat(pending, pendingBytes);
        while (all.length >= sealedRecord) {
          for (const piece of open(all.subarray(0, sealedRecord))) this.push(piece);
          all = all.subarray(sealedRecord);
        }
        pending = all.length ? [all] : [];
        pendingBytes = all.length;
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      try {
        if (pendingBytes > 0 || opened === 0) for (const piece of open(Buffer.concat(pending, pendingBytes))) this.push(piece);
        if (opened !== records) throw new SpoolChanged();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}
