// The bulk of an OpenPGP message in Node's own crypto: a Symmetrically Encrypted Integrity Protected
// Data packet, version 1 (RFC 4880 §5.13: AES in CFB mode, a SHA-1 modification detection code) around
// one literal data packet. openpgp.js keeps everything else (session key packets, S2K, other layouts).
// Plain JavaScript: the OpenPGP worker loads it.
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { MalformedPacket, PacketBodyReader, PacketWriter, packetTag, TAG } from './openpgp-packets.mjs';

/** Bytes per partial body part written, and per cipher call (Node's ciphers are fastest at 64 KiB). */
const PART_BYTES = 1 << 20;
const SLICE = 1 << 16;
const BLOCK = 16;
const PREFIX_BYTES = BLOCK + 2;
const MDC_HEADER = Buffer.from([0xd3, 0x14]);
const MDC_BYTES = MDC_HEADER.length + 20;

/** The ciphers this path carries; a message under any other goes to openpgp.js. */
const CIPHERS = { aes128: 'aes-128-cfb', aes192: 'aes-192-cfb', aes256: 'aes-256-cfb' };

export function nativeCipher(algorithm) {
  return CIPHERS[algorithm] ?? null;
}

/** The SEIPD body's tampering, said once: the same words whatever was changed. */
export class ModificationDetected extends Error {
  constructor() {
    super('Modification detected: the OpenPGP integrity check failed');
    this.name = 'ModificationDetected';
  }
}

function inSlices(chunk, each) {
  for (let offset = 0; offset < chunk.length; offset += SLICE) each(chunk.subarray(offset, offset + SLICE));
}

/**
 * Encrypts a stream of bytes as a SEIPD v1 packet holding one binary literal data packet (no file
 * name), under `sessionKey` (AES-256). `write` and `end` return the packet's bytes, framed in parts.
 */
export class SeipdEncryptor {
  constructor(sessionKey, { date = new Date(), partBytes = PART_BYTES } = {}) {
    this.cipher = createCipheriv(CIPHERS.aes256, sessionKey, Buffer.alloc(BLOCK));
    this.mdc = createHash('sha1');
    this.outer = new PacketWriter(TAG.seipd, partBytes);
    this.literal = new PacketWriter(TAG.literal, partBytes);
    this.started = false;
    this.date = date;
  }

  /** @returns {Buffer[]} */
  write(chunk) {
    const out = this.#start();
    for (const framed of this.literal.write(chunk)) this.#encrypt(framed, out);
    return out;
  }

  /** @returns {Buffer[]} */
  end() {
    const out = this.#start();
    for (const framed of this.literal.end()) this.#encrypt(framed, out);
    this.mdc.update(MDC_HEADER);
    const code = Buffer.concat([MDC_HEADER, this.mdc.digest()]);
    out.push(...this.outer.write(this.cipher.update(code)));
    this.cipher.final();
    out.push(...this.outer.end());
    return out;
  }

  #start() {
    const out = [];
    if (this.started) return out;
    this.started = true;
    out.push(...this.outer.write(Buffer.from([1])));
    const random = randomBytes(BLOCK);
    this.#encrypt(Buffer.concat([random, random.subarray(BLOCK - 2)]), out);
    const literalHeader = Buffer.alloc(6);
    literalHeader[0] = 0x62; // 'b': binary, no file name
    literalHeader.writeUInt32BE(Math.floor(this.date.getTime() / 1000), 2);
    out.push(...this.#literalBytes(literalHeader));
    return out;
  }

  #literalBytes(bytes) {
    const out = [];
    for (const framed of this.literal.write(bytes)) this.#encrypt(framed, out);
    return out;
  }

  #encrypt(plain, out) {
    inSlices(plain, (slice) => {
      this.mdc.update(slice);
      out.push(...this.outer.write(this.cipher.update(slice)));
    });
  }
}

/**
 * CFB decryption, block-parallel: each plaintext block is its ciphertext XOR the encryption of the
 * ciphertext block before it, so an ECB pass over the ciphertext shifted by a block does it all. Node's
 * own CFB decipher goes block by block (about a third of the speed here). Returns buffers it owns.
 */
export class CfbDecipher {
  constructor(cfbCipher, key) {
    this.ecb = createCipheriv(cfbCipher.replace(/-cfb$/, '-ecb'), key, null);
    this.ecb.setAutoPadding(false);
    this.previous = Buffer.alloc(BLOCK);
    this.carry = Buffer.alloc(0);
    this.aligned = Buffer.allocUnsafeSlow(SLICE);
  }

  /** @returns {Buffer[]} the plaintext of every whole block so far */
  update(chunk) {
    const out = [];
    let offset = 0;
    // A block split between chunks: completed on its own, so that the chunk itself is never copied whole.
    if (this.carry.length > 0) {
      offset = Math.min(BLOCK - this.carry.length, chunk.length);
      this.carry = Buffer.concat([this.carry, chunk.subarray(0, offset)]);
      if (this.carry.length < BLOCK) return out;
      out.push(...this.#blocks(this.carry));
      this.carry = Buffer.alloc(0);
    }
    const whole = offset + (chunk.length - offset - ((chunk.length - offset) % BLOCK));
    for (let start = offset; start < whole; start += SLICE) out.push(...this.#blocks(chunk.subarray(start, Math.min(start + SLICE, whole))));
    if (whole < chunk.length) this.carry = Buffer.from(chunk.subarray(whole));
    return out;
  }

  /** @returns {Buffer} the plaintext of a last, partial block */
  final() {
    const keystream = this.ecb.update(this.previous);
    return Buffer.from(this.carry.map((byte, i) => byte ^ keystream[i]));
  }

  // The first block's keystream is the encryption of the block before (the last call's); the rest's,
  // of this ciphertext shifted by a block: two ECB calls straight from the input, no shifted copy.
  #blocks(ciphertext) {
    const length = ciphertext.length;
    const first = this.#xor(this.ecb.update(this.previous), ciphertext.subarray(0, BLOCK));
    const rest = length > BLOCK ? this.#xor(this.ecb.update(ciphertext.subarray(0, length - BLOCK)), ciphertext.subarray(BLOCK)) : null;
    ciphertext.copy(this.previous, 0, length - BLOCK);
    return rest ? [first, rest] : [first];
  }

  /** `keystream` XOR `ciphertext`, into `keystream` (a buffer of its own), four bytes at a time. */
  #xor(keystream, ciphertext) {
    const length = ciphertext.length;
    if (keystream.byteOffset % 4 !== 0) keystream = Buffer.from(keystream);
    let source = ciphertext;
    if (ciphertext.byteOffset % 4 !== 0) source = this.aligned.subarray(0, ciphertext.copy(this.aligned, 0, 0, length));
    const words = new Int32Array(keystream.buffer, keystream.byteOffset, length >> 2);
    const cipherWords = new Int32Array(source.buffer, source.byteOffset, length >> 2);
    for (let i = 0; i < words.length; i++) words[i] ^= cipherWords[i];
    return keystream;
  }
}

/** Whether `key` opens a SEIPD v1 body that starts with `firstBytes` (its 18-byte prefix at least): the quick check, in constant time. */
export function quickCheck(cipher, key, firstBytes) {
  const prefix = createDecipheriv(cipher, key, Buffer.alloc(BLOCK)).update(firstBytes.subarray(0, PREFIX_BYTES));
  return timingSafeEqual(prefix.subarray(BLOCK - 2, BLOCK), prefix.subarray(BLOCK));
}

/** The tag of the first packet inside the body (its byte after the prefix), or null. */
export function innerTag(cipher, key, firstBytes) {
  const plain = createDecipheriv(cipher, key, Buffer.alloc(BLOCK)).update(firstBytes.subarray(0, PREFIX_BYTES + 1));
  return plain.length > PREFIX_BYTES ? (packetTag(plain[PREFIX_BYTES])?.tag ?? null) : null;
}

/**
 * Decrypts a SEIPD v1 body (the bytes after its version octet, unframed) that holds one literal data
 * packet, and hands back the literal data. Releases bytes before the integrity code at the end is
 * checked: `end` throws if it fails, and only then is what came out authentic.
 */
export class SeipdDecryptor {
  constructor(cipher, key) {
    this.decipher = new CfbDecipher(cipher, key);
    this.mdc = createHash('sha1');
    this.tail = Buffer.alloc(0);
    this.prefixLeft = PREFIX_BYTES;
    this.packet = null;
    this.headerOctet = true;
    this.literalHeader = [];
    this.literalHeaderBytes = 2;
  }

  /** @returns {Buffer[]} literal data */
  write(chunk) {
    const out = [];
    for (const plain of this.decipher.update(chunk)) this.#plain(plain, out);
    return out;
  }

  /** @returns {Buffer[]} the last literal data; throws if the message was changed or cut. */
  end() {
    const out = [];
    this.#plain(this.decipher.final(), out);
    this.mdc.update(MDC_HEADER);
    const expected = Buffer.concat([MDC_HEADER, this.mdc.digest()]);
    if (this.tail.length !== MDC_BYTES || !timingSafeEqual(this.tail, expected)) throw new ModificationDetected();
    if (this.prefixLeft > 0 || !this.packet?.complete || this.literalHeaderBytes > 0) throw new MalformedPacket('the literal data packet ends early');
    return out;
  }

  // Everything but the last 22 bytes (which may be the integrity code) is released as it comes.
  #plain(plain, out) {
    const held = this.tail.length + plain.length;
    if (held <= MDC_BYTES) {
      this.tail = Buffer.concat([this.tail, plain]);
      return;
    }
    const releasable = held - MDC_BYTES;
    const fromTail = this.tail.subarray(0, Math.min(releasable, this.tail.length));
    const fromPlain = plain.subarray(0, releasable - fromTail.length);
    this.tail = Buffer.concat([this.tail.subarray(fromTail.length), plain.subarray(fromPlain.length)]);
    for (const part of [fromTail, fromPlain]) {
      if (part.length === 0) continue;
      this.mdc.update(part);
      this.#inner(part, out);
    }
  }

  #inner(bytes, out) {
    if (this.prefixLeft > 0) {
      const skipped = Math.min(this.prefixLeft, bytes.length);
      this.prefixLeft -= skipped;
      bytes = bytes.subarray(skipped);
    }
    if (bytes.length === 0) return;
    if (this.headerOctet) {
      const header = packetTag(bytes[0]);
      if (header?.tag !== TAG.literal) throw new MalformedPacket('the encrypted data does not hold a literal data packet');
      this.packet = new PacketBodyReader(header);
      this.headerOctet = false;
      bytes = bytes.subarray(1);
    }
    for (const body of this.packet.push(bytes)) this.#literalBody(body, out);
    if (this.packet.after.length > 0) throw new MalformedPacket('the encrypted data holds more than one literal data packet');
  }

  // Skips the literal packet's own header (format, file name, date), then releases its data.
  #literalBody(body, out) {
    let offset = 0;
    while (this.literalHeaderBytes > 0 && offset < body.length) {
      this.literalHeader.push(body[offset++]);
      this.literalHeaderBytes -= 1;
      if (this.literalHeader.length === 2) this.literalHeaderBytes += this.literalHeader[1] + 4;
    }
    if (offset < body.length) out.push(offset === 0 ? body : body.subarray(offset));
  }
}
