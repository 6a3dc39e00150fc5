import 'server-only';
import { Transform } from 'node:stream';

/** A pass-through that shows each chunk to `onChunk` on its way (to count it, hash it, report it). */
export function tap(onChunk: (chunk: Buffer) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      onChunk(chunk);
      callback(null, chunk);
    },
  });
}
