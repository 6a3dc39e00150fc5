import { createDecipheriv, randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CfbDecipher } from './seipd.mjs';

const SLICE = 64 * 1024;

/** `bytes` cut into pieces of awkward sizes, each a view at an odd offset of a buffer of its own (as packet bodies are). */
function pieces(bytes: Buffer) {
  const sizes = [1, 15, 16, 17, 31, SLICE - 1, SLICE, SLICE + 1, 3 * SLICE + 5];
  const out: Buffer[] = [];
  for (let offset = 0; offset < bytes.length;) {
    const size = Math.min(sizes[randomInt(sizes.length)] + randomInt(2), bytes.length - offset);
    const shift = randomInt(4);
    const holder = Buffer.alloc(size + shift);
    bytes.copy(holder, shift, offset, offset + size);
    out.push(holder.subarray(shift));
    offset += size;
  }
  return out;
}

describe('CfbDecipher (the native path’s block-parallel CFB)', () => {
  it.each(['aes-128-cfb', 'aes-256-cfb'] as const)('decrypts %s as OpenSSL does, whatever the pieces and their alignment', (cipher) => {
    for (let round = 0; round < 5; round++) {
      const key = randomBytes(cipher === 'aes-128-cfb' ? 16 : 32);
      const ciphertext = randomBytes(randomInt(1, 700_000));
      const expected = createDecipheriv(cipher, key, Buffer.alloc(16)).update(ciphertext);
      const decipher = new CfbDecipher(cipher, key);
      const plain = Buffer.concat([...pieces(ciphertext).flatMap((piece) => decipher.update(piece)), decipher.final()]);
      expect(plain.equals(expected)).toBe(true);
    }
  });
});
