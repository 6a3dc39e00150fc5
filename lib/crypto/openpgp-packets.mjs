// OpenPGP packet framing (RFC 4880 §4.2), both ways, as streams: headers with definite and partial body
// lengths, and bodies read back whatever the framing. Plain JavaScript: the OpenPGP worker loads it.

/** A framing error: the bytes are not the OpenPGP packets they claim to be. */
export class MalformedPacket extends Error {
  constructor(message) {
    super(message);
    this.name = 'MalformedPacket';
  }
}

export const TAG = { pkesk: 1, skesk: 3, compressed: 8, marker: 10, literal: 11, seipd: 18 };

/** A new-format header's length octets for a body (or last part) of `length` bytes. */
export function definiteLength(length) {
  if (length < 192) return Buffer.from([length]);
  if (length < 8384) return Buffer.from([((length - 192) >> 8) + 192, (length - 192) & 0xff]);
  const octets = Buffer.alloc(5);
  octets[0] = 255;
  octets.writeUInt32BE(length, 1);
  return octets;
}

/**
 * Writes one packet whose length is not known up front: its body in parts of `partBytes` (a power of
 * two of at least 512, so the first part is long enough), each after its partial-length octet, and
 * the rest after a definite length. Holds at most one part; `write` and `end` return what is framed.
 */
export class PacketWriter {
  constructor(tag, partBytes) {
    if (partBytes < 512 || (partBytes & (partBytes - 1)) !== 0) throw new Error('a part must be a power of two of 512 bytes or more');
    this.header = Buffer.from([0xc0 | tag]);
    this.partOctet = Buffer.from([224 + Math.log2(partBytes)]);
    this.partBytes = partBytes;
    this.held = [];
    this.heldBytes = 0;
  }

  /** @returns {Buffer[]} */
  write(chunk) {
    const out = [];
    let offset = 0;
    while (offset < chunk.length) {
      const taken = chunk.subarray(offset, offset + this.partBytes - this.heldBytes);
      this.held.push(taken);
      this.heldBytes += taken.length;
      offset += taken.length;
      if (this.heldBytes === this.partBytes) this.#release(out, this.partOctet);
    }
    return out;
  }

  /** @returns {Buffer[]} */
  end() {
    const out = [];
    this.#release(out, definiteLength(this.heldBytes));
    return out;
  }

  #release(out, lengthOctets) {
    if (this.header) out.push(this.header);
    this.header = null;
    out.push(lengthOctets, ...this.held);
    this.held = [];
    this.heldBytes = 0;
  }
}

/**
 * Reads a packet's header octet: its tag, and how its length is framed. Returns null for a byte
 * that starts no packet.
 */
export function packetTag(octet) {
  if ((octet & 0x80) === 0) return null;
  if (octet & 0x40) return { tag: octet & 0x3f, format: 'new' };
  return { tag: (octet >> 2) & 0x0f, format: 'old', lengthType: octet & 0x03 };
}

/**
 * The body of one packet, from the octets after its tag: strips the length octets (definite,
 * partial, or old-format, including "to the end"), hands back the body bytes and, once the packet has
 * ended, the bytes that follow it.
 */
export class PacketBodyReader {
  constructor({ format, lengthType }) {
    this.format = format;
    this.lengthType = lengthType;
    this.untilEnd = format === 'old' && lengthType === 3;
    this.lengthOctets = [];
    this.remaining = 0;
    this.lastPart = false;
    this.inPart = this.untilEnd;
    this.ended = false;
    this.after = [];
  }

  /** @returns {Buffer[]} body bytes in `chunk` (views of it); bytes past the packet's end go to `after`. */
  push(chunk) {
    const body = [];
    let offset = 0;
    while (offset < chunk.length) {
      if (this.ended) {
        this.after.push(chunk.subarray(offset));
        break;
      }
      if (this.untilEnd) {
        body.push(chunk.subarray(offset));
        break;
      }
      if (!this.inPart) {
        this.lengthOctets.push(chunk[offset++]);
        this.#parseLength();
        continue;
      }
      const part = chunk.subarray(offset, offset + this.remaining);
      body.push(part);
      offset += part.length;
      this.remaining -= part.length;
      if (this.remaining === 0) this.#partDone();
    }
    return body;
  }

  /** Whether the packet has ended where its framing says (always true for "to the end"). */
  get complete() {
    return this.ended || this.untilEnd;
  }

  #partDone() {
    this.inPart = false;
    if (this.lastPart) this.ended = true;
  }

  #parseLength() {
    const octets = this.lengthOctets;
    let length;
    let partial = false;
    if (this.format === 'old') {
      const size = [1, 2, 4][this.lengthType];
      if (octets.length < size) return;
      length = octets.reduce((n, octet) => n * 256 + octet, 0);
    } else {
      const first = octets[0];
      if (first < 192) length = first;
      else if (first < 224) {
        if (octets.length < 2) return;
        length = ((first - 192) << 8) + octets[1] + 192;
      } else if (first < 255) {
        length = 2 ** (first & 0x1f);
        partial = true;
      } else {
        if (octets.length < 5) return;
        length = octets[1] * 2 ** 24 + (octets[2] << 16) + (octets[3] << 8) + octets[4];
      }
    }
    this.lengthOctets = [];
    this.remaining = length;
    this.lastPart = !partial;
    this.inPart = true;
    if (length === 0) this.#partDone();
  }
}
