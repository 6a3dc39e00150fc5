// OpenPGP on a thread of its own (see openpgp-thread.ts). Plain JavaScript: under Vitest, Node loads
// it by path and a worker cannot load TypeScript; Turbopack bundles it as a worker entry.
//
// The bulk runs in Node's own crypto (seipd.mjs): every message Lifeboat writes, and every message
// laid out the same way (session key packets, then SEIPD v1 around one literal data packet), whoever
// wrote it. openpgp.js makes and opens the session key packets, and reads any other layout whole
// (compressed data, other ciphers, AEAD).
//
// workerData (openpgp-thread.ts, WorkerJob): encrypt to a passphrase and/or armored public keys (with
// the caller's session key, when it keeps one to verify the archive), or decrypt with a passphrase, an
// armored private key (and its passphrase), or the session key the archive was written with.
//
// With `port`, an encryption sends the message to the archive file's thread (archive-file-worker.mjs),
// which writes, hashes and syncs it: the main thread never holds the ciphertext, and this thread does
// only the cipher and its integrity code.
//
// In: { type: 'chunk', data: ArrayBuffer } … { type: 'end' }; { type: 'credit' } when the main thread
// has taken an output chunk; { type: 'yield', on } to encrypt with only the CPU the host leaves idle, or
// as fast as it can again. Out: { type: 'ready', path } once the message is accepted (a wrong passphrase
// or key fails before it), { type: 'ack' } per input chunk taken, { type: 'spare', data } when
// an encryption's input chunk is no longer used (the main thread fills it again), { type: 'chunk', data, length }
// unless it goes to `port`; then { type: 'end' } or { type: 'error', code, errno, message }.
import { randomBytes } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import * as openpgp from 'openpgp';
import { IdleShare } from './idle-share.mjs';
import { MalformedPacket, PacketBodyReader, packetTag, TAG } from './openpgp-packets.mjs';
import { innerTag, ModificationDetected, nativeCipher, quickCheck, SeipdDecryptor, SeipdEncryptor } from './seipd.mjs';

const { operation, passphrase, publicKeys = [], privateKey, keyPassphrase, sessionKey: givenSessionKey, maxInFlight, port } = workerData;
/** How far into a message its session key packets and the start of its encrypted data may lie. */
const MAX_HEAD_BYTES = 1 << 20;
const FIRST_BODY_BYTES = 1 + 18 + 1;
/** The literal data packet's part size: what it may hold of its input. */
const PART_BYTES = 1 << 20;
/** An output chunk's memory: what an input chunk of PART_BYTES becomes, with its framing. */
const SPARE_BYTES = PART_BYTES + (64 << 10);

const inbox = [];
/** While set, the thread takes only what the host leaves idle (while a backup's containers start, they come first). */
let yielding = null;
let inputEnded = false;
let wakeInput = null;
let wakePause = null;

parentPort.on('message', (message) => {
  if (message.type === 'chunk') inbox.push(message.data);
  else if (message.type === 'end') inputEnded = true;
  else if (message.type === 'yield') {
    yielding = message.on ? (yielding ?? new IdleShare()) : null;
    if (!yielding) wakePause?.();
  }
  wakeInput?.();
  wakeInput = null;
});

class Refusal extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** The next input chunk, or null at the end. */
async function nextChunk() {
  while (inbox.length === 0 && !inputEnded) await new Promise((resolve) => (wakeInput = resolve));
  if (inbox.length === 0) return null;
  parentPort.postMessage({ type: 'ack' });
  return Buffer.from(inbox.shift());
}

/** Waits `ms`, or less once the yielding stops. */
async function pause(ms) {
  if (ms <= 0) return;
  await new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    wakePause = () => (clearTimeout(timer), resolve());
  });
  wakePause = null;
}

/**
 * An encryption's input chunks, handed back to the main thread once no longer used: the literal data
 * packet holds at most one part of what it was given, so a chunk is free once a part's worth came after it.
 */
class SpareChunks {
  held = [];

  /** `chunk` was just written; returns those it freed. */
  written(chunk) {
    this.held.push({ chunk, after: -chunk.length });
    for (const entry of this.held) entry.after += chunk.length;
    while (this.held.length > 0 && this.held[0].after >= PART_BYTES) {
      const data = this.held.shift().chunk.buffer;
      parentPort.postMessage({ type: 'spare', data }, [data]);
    }
  }
}

/**
 * Where the output goes, one chunk per call, at most `maxInFlight` chunks ahead of the thread that takes
 * them (it answers { type: 'credit' } per chunk): the main thread, or the archive file's thread, which
 * hands each chunk's memory back with its credit to be filled again (no garbage per MiB on either side).
 */
class ChunkChannel {
  #outstanding = 0;
  #wake = null;
  #spares = [];

  /** `recycled`: the taker hands chunks back, so each is made big enough to be filled again. */
  constructor(port, maxInFlight, { recycled = false } = {}) {
    this.port = port;
    this.maxInFlight = maxInFlight;
    this.recycled = recycled;
    port.on('message', (message) => {
      if (message.type !== 'credit') return;
      if (message.data) this.#spares.push(message.data);
      this.#outstanding -= 1;
      this.#wake?.();
      this.#wake = null;
    });
  }

  /** Sends `buffers` as one chunk, a copy it owns (moved, never shared), once there is room for it. */
  async send(buffers) {
    const total = buffers.reduce((n, b) => n + b.length, 0);
    if (total === 0) return;
    while (this.#outstanding >= this.maxInFlight) await new Promise((resolve) => (this.#wake = resolve));
    const spare = this.#spares.pop();
    const data = spare && spare.byteLength >= total ? spare : new ArrayBuffer(this.recycled ? Math.max(total, SPARE_BYTES) : total);
    const owned = new Uint8Array(data, 0, total);
    let offset = 0;
    for (const buffer of buffers) {
      owned.set(buffer, offset);
      offset += buffer.length;
    }
    this.#outstanding += 1;
    this.port.postMessage({ type: 'chunk', data, length: total }, [data]);
  }

  end() {
    this.port.postMessage({ type: 'end' });
  }
}

const toMain = new ChunkChannel(parentPort, maxInFlight);
const send = (buffers) => toMain.send(buffers);

/** The keys to encrypt to. A private key stands for its public part (a restore's safety copy goes to the key that opened the restore). */
async function encryptionKeys() {
  return await Promise.all(
    publicKeys.map(async (armoredKey) => {
      try {
        const key = await openpgp.readKey({ armoredKey });
        return key.isPrivate() ? key.toPublic() : key;
      } catch (error) {
        throw new Refusal('bad_key', `it is not an armored OpenPGP key (${error.message})`);
      }
    }),
  );
}

async function encrypt() {
  const sessionKey = givenSessionKey ? Buffer.from(givenSessionKey) : randomBytes(32);
  const keys = await encryptionKeys();
  const keyPackets = await openpgp
    .encryptSessionKey({
      data: sessionKey,
      algorithm: 'aes256',
      passwords: passphrase ? [passphrase] : undefined,
      encryptionKeys: keys.length > 0 ? keys : undefined,
      format: 'binary',
    })
    .catch((error) => {
      // An expired or revoked key, or one without an encryption subkey, has no key to encrypt to.
      throw new Refusal('bad_key', error.message);
    });
  parentPort.postMessage({ type: 'ready', path: 'native' });
  const encryptor = new SeipdEncryptor(sessionKey, { partBytes: PART_BYTES });
  // Into the archive file's thread, or back to the main thread.
  const out = port ? new ChunkChannel(port, maxInFlight, { recycled: true }) : toMain;
  const spare = new SpareChunks();
  await out.send([Buffer.from(keyPackets)]);
  for (let chunk; (chunk = await nextChunk());) {
    const started = performance.now();
    const encrypted = encryptor.write(chunk);
    const workMs = performance.now() - started;
    await out.send(encrypted);
    spare.written(chunk);
    if (yielding) await pause(yielding.pauseAfter(workMs));
  }
  await out.send(encryptor.end());
  if (port) out.end();
}

/**
 * Reads the message's session key packets and the start of its SEIPD packet from `head`. Returns
 * null when more bytes are needed, 'foreign' when openpgp.js must read the message.
 */
function parseHead(head) {
  const keyPackets = [];
  let offset = 0;
  while (offset < head.length) {
    const header = packetTag(head[offset]);
    if (!header) return 'foreign';
    const reader = new PacketBodyReader(header);
    const body = reader.push(head.subarray(offset + 1));
    if (header.tag === TAG.seipd) {
      const firstBody = Buffer.concat(body);
      if (firstBody.length < FIRST_BODY_BYTES && !reader.complete) return null;
      if (keyPackets.length === 0 || firstBody[0] !== 1) return 'foreign';
      return { keyPackets: Buffer.concat(keyPackets), reader, firstBody: firstBody.subarray(1) };
    }
    if (![TAG.skesk, TAG.pkesk, TAG.marker].includes(header.tag) || header.lengthType === 3) return 'foreign';
    if (!reader.complete) return null;
    const end = head.length - reader.after.reduce((n, b) => n + b.length, 0);
    if (header.tag !== TAG.marker) keyPackets.push(head.subarray(offset, end));
    offset = end;
  }
  return null;
}

/** What openpgp.js opens the message with: the passphrase, the private key (unlocked with its own), or the session key. */
async function openers() {
  if (givenSessionKey) return { sessionKeys: { data: new Uint8Array(givenSessionKey), algorithm: 'aes256' } };
  if (privateKey === undefined) return { passwords: [passphrase] };
  let key;
  try {
    key = await openpgp.readPrivateKey({ armoredKey: privateKey });
  } catch (error) {
    throw new Refusal('bad_key', `it is not an armored OpenPGP private key (${error.message})`);
  }
  if (key.isDecrypted()) return { decryptionKeys: key };
  if (!keyPassphrase) throw new Refusal('key_passphrase', 'the private key is protected by a passphrase: give it too');
  try {
    return { decryptionKeys: await openpgp.decryptKey({ privateKey: key, passphrase: keyPassphrase }) };
  } catch {
    throw new Refusal('key_passphrase', "the private key's passphrase is wrong");
  }
}

/** The refusal when what was given opens none of the message's session keys. */
const wrongSecret = () =>
  givenSessionKey
    ? new Refusal('invalid', 'the session key the backup wrote it with does not open it')
    : privateKey === undefined
      ? new Refusal('wrong_passphrase', 'the passphrase opens none of the session key packets')
      : new Refusal('wrong_key', 'the key opens none of the session key packets');

/** The session key that opens the SEIPD packet, and its cipher; null when openpgp.js must read the message. */
async function sessionKey(keyPackets, firstBody, options) {
  let keys = options.sessionKeys ? [options.sessionKeys] : null;
  try {
    keys ??= await openpgp.decryptSessionKeys({ message: await openpgp.readMessage({ binaryMessage: keyPackets }), ...options });
  } catch {
    throw wrongSecret();
  }
  for (const { data, algorithm } of keys) {
    const cipher = nativeCipher(algorithm);
    if (!cipher) return null;
    const key = Buffer.from(data);
    if (quickCheck(cipher, key, firstBody)) return innerTag(cipher, key, firstBody) === TAG.literal ? { cipher, key } : null;
  }
  throw wrongSecret();
}

async function decrypt() {
  const options = await openers();
  const head = [];
  let parsed = null;
  for (let total = 0; parsed === null && total <= MAX_HEAD_BYTES;) {
    const chunk = await nextChunk();
    if (!chunk) break;
    head.push(chunk);
    total += chunk.length;
    parsed = parseHead(Buffer.concat(head));
  }
  const opened = parsed && parsed !== 'foreign' ? await sessionKey(parsed.keyPackets, parsed.firstBody, options) : null;
  if (!opened) return decryptWithOpenpgpJs(head, options);

  parentPort.postMessage({ type: 'ready', path: 'native' });
  const { reader, firstBody } = parsed;
  const decryptor = new SeipdDecryptor(opened.cipher, opened.key);
  const trailing = () => {
    if (reader.after.length > 0) throw new Refusal('invalid', 'the archive has bytes after the end of its OpenPGP message');
  };
  trailing();
  await send(decryptor.write(firstBody));
  for (let chunk; (chunk = await nextChunk());) {
    await send(reader.push(chunk).flatMap((body) => decryptor.write(body)));
    trailing();
  }
  if (!reader.complete) throw new Refusal('truncated', 'the archive ends before its last byte');
  await send(decryptor.end());
}

/** openpgp.js reads the whole message: the bytes already taken, then the rest. */
async function decryptWithOpenpgpJs(taken, options) {
  const input = new ReadableStream(
    {
      async pull(controller) {
        const chunk = taken.shift() ?? (await nextChunk());
        if (chunk) controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
        else controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  const message = await openpgp.readMessage({ binaryMessage: input });
  // The caller reads to the end before trusting a byte: openpgp.js reports tampering only there.
  const { data } = await openpgp.decrypt({ message, ...options, format: 'binary', config: { allowUnauthenticatedStream: true } }).catch((error) => {
    throw /Session key decryption failed|No (symmetrically|public key) encrypted session key packet found/i.test(error.message) ? wrongSecret() : error;
  });
  parentPort.postMessage({ type: 'ready', path: 'openpgp.js' });
  const reader = data.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    // send copies it: openpgp.js may still hold views of the buffer it handed out.
    await send([value]);
  }
}

function codeOf(error) {
  if (error instanceof Refusal) return error.code;
  if (error instanceof ModificationDetected) return 'modified';
  if (error instanceof MalformedPacket) return 'invalid';
  return null;
}

const fail = (error) => parentPort.postMessage({ type: 'error', code: codeOf(error), errno: error?.code ?? null, message: error instanceof Error ? error.message : String(error) });
(operation === 'encrypt' ? encrypt() : decrypt()).then(() => parentPort.postMessage({ type: 'end' }), fail);
