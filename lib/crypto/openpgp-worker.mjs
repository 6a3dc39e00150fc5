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
// With outputFd, an encryption writes the message to that file itself (synced at the end) and hashes
// it: the main thread never holds the ciphertext.
//
// In: { type: 'chunk', data: ArrayBuffer } … { type: 'end' }; { type: 'credit' } when the main thread
// has taken an output chunk; { type: 'yield', on } to encrypt with only the CPU the host leaves idle, or
// as fast as it can again. Out: { type: 'ready', path } once the message is accepted (a wrong passphrase
// or key fails before it), { type: 'ack' } per input chunk taken, { type: 'spare', data } when
// an encryption's input chunk is no longer used (the main thread fills it again), { type: 'chunk', data }
// or, with outputFd, { type: 'written', bytes }; then { type: 'end', file? } or { type: 'error', code, errno, message }.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import * as openpgp from 'openpgp';
import { IdleShare } from './idle-share.mjs';
import { MalformedPacket, PacketBodyReader, packetTag, TAG } from './openpgp-packets.mjs';
import { innerTag, ModificationDetected, nativeCipher, quickCheck, SeipdDecryptor, SeipdEncryptor } from './seipd.mjs';

const { operation, passphrase, publicKeys = [], privateKey, keyPassphrase, sessionKey: givenSessionKey, maxInFlight, outputFd } = workerData;
/** How far into a message its session key packets and the start of its encrypted data may lie. */
const MAX_HEAD_BYTES = 1 << 20;
const FIRST_BODY_BYTES = 1 + 18 + 1;
/** The literal data packet's part size: what it may hold of its input. */
const PART_BYTES = 1 << 20;

const inbox = [];
/** While set, the thread takes only what the host leaves idle (while a backup's containers start, they come first). */
let yielding = null;
let inputEnded = false;
let outstanding = 0;
let wakeInput = null;
let wakeOutput = null;
let wakePause = null;

parentPort.on('message', (message) => {
  if (message.type === 'chunk') inbox.push(message.data);
  else if (message.type === 'end') inputEnded = true;
  else if (message.type === 'credit') outstanding -= 1;
  else if (message.type === 'yield') {
    yielding = message.on ? (yielding ?? new IdleShare()) : null;
    if (!yielding) wakePause?.();
  }
  for (const wake of [wakeInput, wakeOutput]) wake?.();
  wakeInput = wakeOutput = null;
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

/** Writes `buffers` to outputFd whole, hashing them. */
class FileSink {
  hash = createHash('sha256');
  bytes = 0;

  write(buffers) {
    const pending = buffers.filter((b) => b.length > 0);
    while (pending.length > 0) {
      let written = fs.writevSync(outputFd, pending);
      if (written === 0) throw new Error('the archive file took no bytes');
      this.bytes += written;
      // What was written is hashed; after a short write, what is left goes again.
      while (written > 0) {
        const done = pending[0].subarray(0, written);
        this.hash.update(done);
        written -= done.length;
        if (done.length === pending[0].length) pending.shift();
        else pending[0] = pending[0].subarray(done.length);
      }
    }
    parentPort.postMessage({ type: 'written', bytes: this.bytes });
  }

  end() {
    fs.fsyncSync(outputFd);
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
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

/** Sends `buffers` as one chunk, once the main thread has room for it. */
async function send(buffers) {
  const total = buffers.reduce((n, b) => n + b.length, 0);
  if (total === 0) return;
  while (outstanding >= maxInFlight) await new Promise((resolve) => (wakeOutput = resolve));
  outstanding += 1;
  const owned = Buffer.concat(buffers, total);
  // A copy the main thread owns (concat of one buffer may share it): moved, never shared.
  const data = owned.byteLength === owned.buffer.byteLength ? owned.buffer : owned.buffer.slice(owned.byteOffset, owned.byteOffset + total);
  parentPort.postMessage({ type: 'chunk', data }, [data]);
}

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
  const file = outputFd === undefined ? null : new FileSink();
  const out = file ? (buffers) => file.write(buffers) : send;
  const spare = new SpareChunks();
  await out([Buffer.from(keyPackets)]);
  for (let chunk; (chunk = await nextChunk());) {
    const started = performance.now();
    const encrypted = encryptor.write(chunk);
    const workMs = performance.now() - started;
    await out(encrypted);
    spare.written(chunk);
    if (yielding) await pause(yielding.pauseAfter(workMs));
  }
  await out(encryptor.end());
  return file?.end();
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

(operation === 'encrypt' ? encrypt() : decrypt()).then(
  (file) => parentPort.postMessage({ type: 'end', file }),
  (error) => parentPort.postMessage({ type: 'error', code: codeOf(error), errno: error?.code ?? null, message: error instanceof Error ? error.message : String(error) }),
);
