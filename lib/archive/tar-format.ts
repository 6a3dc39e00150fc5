import 'server-only';
import type { EntryType } from './manifest';

/**
 * The tar format, both ways and synchronously: a backup re-packs the engine's tar of each volume chunk by
 * chunk, passing file bodies through as views of the chunks they came in (no stream per entry, no copy).
 * Reads ustar, PAX (per entry and global) and GNU long names, as the engine and GNU tar write them;
 * writes ustar, with a PAX header before an entry whose name or numbers do not fit.
 */

export const BLOCK = 512;
const ZEROS = Buffer.alloc(2 * BLOCK);
/** Two zero blocks: the end of an archive. */
export const END_OF_ARCHIVE = ZEROS;

export type TarHeader = {
  name: string;
  type: EntryType;
  /** Permission bits (a header keeps no file-type bits). */
  mode: number;
  uid: number;
  gid: number;
  /** Body bytes: files only. */
  size: number;
  /** Whole seconds since the epoch. */
  mtime: number;
  linkname?: string;
  uname?: string;
  gname?: string;
  devmajor?: number;
  devminor?: number;
  /** Read side: the PAX records that came with the entry (its own and the global ones), if any. */
  pax?: Record<string, string>;
};

/** Zero bytes from the end of a body of `size` bytes to its block's end. */
export function padding(size: number): Buffer {
  return ZEROS.subarray(0, (BLOCK - (size % BLOCK)) % BLOCK);
}

const TYPEFLAGS: Record<EntryType, string> = {
  file: '0',
  link: '1',
  symlink: '2',
  'character-device': '3',
  'block-device': '4',
  directory: '5',
  fifo: '6',
};

/**
 * An entry's header block(s): ustar, after a PAX header when the name or link does not fit. A number
 * that does not fit its octal field is written in base-256 (as GNU tar does).
 */
export function encodeHeader(header: TarHeader): Buffer[] {
  const pax: Record<string, string> = {};
  const split = splitName(header.name);
  if (!split) pax.path = header.name;
  if (header.linkname && Buffer.byteLength(header.linkname) > 100) pax.linkpath = header.linkname;
  const block = ustar(header, split ?? { prefix: '', name: header.name.slice(0, 100) });
  if (Object.keys(pax).length === 0) return [block];
  const body = paxRecords(pax);
  const paxHeader = ustar({ ...header, name: 'PaxHeader', type: 'file', size: body.length, linkname: undefined }, { prefix: '', name: 'PaxHeader' }, 'x');
  return [paxHeader, body, padding(body.length), block];
}

/** The name as ustar's prefix and name fields, split at a slash; null when it fits neither way. */
function splitName(name: string): { prefix: string; name: string } | null {
  if (Buffer.byteLength(name) !== name.length) return null;
  if (name.length <= 100) return { prefix: '', name };
  for (let slash = name.indexOf('/'); slash !== -1 && slash <= 155; slash = name.indexOf('/', slash + 1)) {
    if (name.length - slash - 1 <= 100) return { prefix: name.slice(0, slash), name: name.slice(slash + 1) };
  }
  return null;
}

function ustar(header: TarHeader, { prefix, name }: { prefix: string; name: string }, typeflag = TYPEFLAGS[header.type]): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100);
  number(block, 100, 8, header.mode & 0o7777);
  number(block, 108, 8, header.uid);
  number(block, 116, 8, header.gid);
  number(block, 124, 12, header.size);
  number(block, 136, 12, header.mtime);
  block.write(typeflag, 156, 1, 'latin1');
  if (header.linkname) block.write(header.linkname, 157, 100);
  block.write('ustar\u000000', 257, 8, 'latin1');
  block.write(header.uname ?? '', 265, 32);
  block.write(header.gname ?? '', 297, 32);
  number(block, 329, 8, header.devmajor ?? 0);
  number(block, 337, 8, header.devminor ?? 0);
  block.write(prefix, 345, 155);
  number(block, 148, 8, checksum(block));
  return block;
}

/**
 * A non-negative number in a field of `length` bytes: octal, zero-padded and NUL-terminated, or, when
 * it has more digits than that, base-256 (the first byte 0x80, the rest big-endian).
 */
function number(block: Buffer, offset: number, length: number, value: number) {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`a tar header cannot hold ${value}`);
  const digits = value.toString(8);
  if (digits.length < length) return void block.write(digits.padStart(length - 1, '0') + '\0', offset, length, 'latin1');
  block[offset] = 0x80;
  for (let i = length - 1, rest = value; i > 0; i--, rest = Math.floor(rest / 256)) block[offset + i] = rest % 256;
}

/** The header's checksum: its bytes summed, the checksum field counted as spaces. */
function checksum(block: Buffer) {
  let sum = 8 * 0x20;
  for (let i = 0; i < 148; i++) sum += block[i];
  for (let i = 156; i < BLOCK; i++) sum += block[i];
  return sum;
}

/** PAX records: "<length> <key>=<value>\n", the length counting itself. */
function paxRecords(records: Record<string, string>): Buffer {
  const lines = Object.entries(records).map(([key, value]) => {
    const rest = ` ${key}=${value}\n`;
    const restBytes = Buffer.byteLength(rest);
    let length = restBytes + String(restBytes).length;
    if (String(length).length !== String(restBytes).length) length = restBytes + String(length).length;
    return `${length}${rest}`;
  });
  return Buffer.from(lines.join(''));
}

/** What a reader hands on: each entry's header, then its body in views of the input, then its end. */
export type TarEvents = {
  entry: (header: TarHeader) => void;
  body: (bytes: Buffer) => void;
  entryEnd: () => void;
};

const READ_TYPES: Record<string, EntryType | 'pax' | 'global-pax' | 'long-name' | 'long-link'> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'link',
  '2': 'symlink',
  '3': 'character-device',
  '4': 'block-device',
  '5': 'directory',
  '6': 'fifo',
  x: 'pax',
  g: 'global-pax',
  L: 'long-name',
  K: 'long-link',
};

/** A tar read as it comes, chunk by chunk: `push` each chunk, then `end`. Throws on a malformed archive. */
export class TarReader {
  private header = Buffer.alloc(BLOCK);
  private headerBytes = 0;
  /** What is left of the current body, then of its padding. */
  private bodyLeft = 0;
  private paddingLeft = 0;
  /** A metadata entry (PAX, long name) read whole: it describes the next entry. */
  private meta: { kind: 'pax' | 'global-pax' | 'long-name' | 'long-link'; parts: Buffer[] } | null = null;
  private pax: Record<string, string> = {};
  private globalPax: Record<string, string> = {};
  private inEntry = false;
  /** The current entry is not a file: its body (a link's, say), if any, is skipped. */
  private skipBody = false;

  constructor(private readonly events: TarEvents) {}

  push(chunk: Buffer) {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.bodyLeft > 0) {
        const bytes = chunk.subarray(offset, offset + this.bodyLeft);
        offset += bytes.length;
        this.bodyLeft -= bytes.length;
        if (this.meta) this.meta.parts.push(Buffer.from(bytes));
        else if (!this.skipBody) this.events.body(bytes);
        if (this.bodyLeft === 0) this.endBody();
      } else if (this.paddingLeft > 0) {
        const skipped = Math.min(this.paddingLeft, chunk.length - offset);
        offset += skipped;
        this.paddingLeft -= skipped;
      } else {
        const taken = chunk.copy(this.header, this.headerBytes, offset, offset + BLOCK - this.headerBytes);
        offset += taken;
        this.headerBytes += taken;
        if (this.headerBytes === BLOCK) {
          this.headerBytes = 0;
          this.readHeader();
        }
      }
    }
  }

  /** The input ended: fails unless it ended between entries. */
  end() {
    if (this.inEntry || this.meta || this.headerBytes > 0 || this.paddingLeft > 0) throw new Error('the tar ends in the middle of an entry');
  }

  private readHeader() {
    const block = this.header;
    if (block.every((byte) => byte === 0)) return;
    if (checksum(block) !== readOctal(block, 148, 8)) throw new Error('a tar header is damaged (its checksum does not match)');
    const typeflag = String.fromCharCode(block[156]);
    const read = READ_TYPES[typeflag];
    if (!read) throw new Error(`the tar holds an entry of a type Lifeboat does not read (${JSON.stringify(typeflag)})`);
    if (read === 'pax' || read === 'global-pax' || read === 'long-name' || read === 'long-link') {
      const size = readOctal(block, 124, 12);
      if (!(size <= 1024 * 1024)) throw new Error('the tar holds a metadata entry of over 1 MiB');
      this.meta = { kind: read, parts: [] };
      this.bodyLeft = size;
      this.paddingLeft = (BLOCK - (size % BLOCK)) % BLOCK;
      if (size === 0) this.endBody();
      return;
    }
    const size = this.pax.size !== undefined ? Number(this.pax.size) : readOctal(block, 124, 12);
    const padded = (BLOCK - (size % BLOCK)) % BLOCK;
    const pax = { ...this.globalPax, ...this.pax };
    this.pax = {};
    const magic = block.toString('latin1', 257, 263);
    const prefix = magic === 'ustar\0' && block[345] !== 0 ? `${text(block, 345, 155)}/` : '';
    const name = pax.path ?? prefix + text(block, 0, 100);
    // Old tars mark a directory by its name alone.
    const type = read === 'file' && name.endsWith('/') ? 'directory' : read;
    const header: TarHeader = {
      name,
      type,
      mode: readOctal(block, 100, 8) & 0o7777,
      uid: pax.uid !== undefined ? Number(pax.uid) : readOctal(block, 108, 8),
      gid: pax.gid !== undefined ? Number(pax.gid) : readOctal(block, 116, 8),
      size,
      // A time before 1970 is kept as 1970: the archive's tar and its manifest say the same.
      mtime: Math.max(0, pax.mtime !== undefined ? Math.floor(Number(pax.mtime)) : readOctal(block, 136, 12)),
      linkname: pax.linkpath ?? text(block, 157, 100),
      uname: pax.uname ?? text(block, 265, 32),
      gname: pax.gname ?? text(block, 297, 32),
      devmajor: readOctal(block, 329, 8),
      devminor: readOctal(block, 337, 8),
    };
    if (Object.keys(pax).length > 0) header.pax = pax;
    for (const key of ['uid', 'gid', 'size', 'mtime'] as const) {
      if (!Number.isSafeInteger(header[key]) || header[key] < 0) throw new Error(`a tar header's ${key} is not a number: ${header.name}`);
    }
    this.inEntry = true;
    this.skipBody = type !== 'file';
    this.events.entry(type === 'file' ? header : { ...header, size: 0 });
    this.bodyLeft = size;
    this.paddingLeft = padded;
    if (size === 0) this.endBody();
  }

  private endBody() {
    const meta = this.meta;
    this.meta = null;
    if (meta) {
      const bytes = Buffer.concat(meta.parts);
      if (meta.kind === 'long-name') this.pax.path = bytes.toString('utf8').replace(/\0+$/, '');
      else if (meta.kind === 'long-link') this.pax.linkpath = bytes.toString('utf8').replace(/\0+$/, '');
      else Object.assign(meta.kind === 'pax' ? this.pax : this.globalPax, parsePax(bytes));
      return;
    }
    this.inEntry = false;
    this.events.entryEnd();
  }
}

/** A NUL-terminated (or full) text field. */
function text(block: Buffer, offset: number, length: number) {
  const end = block.indexOf(0, offset);
  return block.toString('utf8', offset, end === -1 || end > offset + length ? offset + length : end);
}

/** An octal field (spaces or NULs around it), or a base-256 one (0x80 first, or 0xff for a negative number in two's complement). */
function readOctal(block: Buffer, offset: number, length: number): number {
  if (block[offset] === 0xff) {
    let value = 0;
    for (let i = 1; i < length; i++) value = value * 256 + (0xff - block[offset + i]);
    return -(value + 1);
  }
  if (block[offset] & 0x80) {
    let value = block[offset] & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + block[offset + i];
    return value;
  }
  // Leading spaces and zeros, the digits, then NULs or spaces to the field's end (a hot path: 100,000 files).
  const end = offset + length;
  let i = offset;
  while (i < end && (block[i] === 0x20 || block[i] === 0x30)) i++;
  let value = 0;
  for (; i < end && block[i] !== 0 && block[i] !== 0x20; i++) {
    const digit = block[i] - 0x30;
    if (digit < 0 || digit > 7) return NaN;
    value = value * 8 + digit;
  }
  for (; i < end; i++) if (block[i] !== 0 && block[i] !== 0x20) return NaN;
  return value;
}

function parsePax(bytes: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  for (let offset = 0; offset < bytes.length;) {
    const space = bytes.indexOf(0x20, offset);
    const length = Number(bytes.toString('latin1', offset, space));
    if (space === -1 || !Number.isSafeInteger(length) || length <= 0 || offset + length > bytes.length) throw new Error('a PAX header is damaged');
    const record = bytes.toString('utf8', space + 1, offset + length - 1);
    const equals = record.indexOf('=');
    // An empty value unsets a keyword: the header's own field stands.
    if (equals > 0 && equals < record.length - 1) records[record.slice(0, equals)] = record.slice(equals + 1);
    offset += length;
  }
  return records;
}
