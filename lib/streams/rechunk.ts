import { Transform } from 'node:stream';

/** Coalesces small chunks into chunks of `size` bytes (the last may be shorter). */
export function rechunk(size: number): Transform {
  let parts: Buffer[] = [];
  let length = 0;
  return new Transform({
    readableHighWaterMark: size,
    writableHighWaterMark: size,
    transform(chunk: Buffer, _encoding, callback) {
      parts.push(chunk);
      length += chunk.length;
      while (length >= size) {
        const all = Buffer.concat(parts, length);
        this.push(all.subarray(0, size));
        parts = length > size ? [all.subarray(size)] : [];
        length -= size;
      }
      callback();
    },
    flush(callback) {
      if (length) this.push(Buffer.concat(parts, length));
      callback();
    },
  });
}
