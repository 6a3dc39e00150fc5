import 'server-only';
import { pipeline, type Readable } from 'node:stream';
import { openpgpThread } from './openpgp-thread';

/**
 * OpenPGP symmetric encryption with a passphrase, as `gpg --symmetric` writes it and GnuPG 2.2 reads it:
 * AES-256, iterated-salted S2K, SEIPD v1 with MDC, no compression. openpgp.js runs on a worker thread.
 */
export async function encryptWithPassphrase(plaintext: NodeJS.ReadableStream, passphrase: string): Promise<Readable> {
  return await through(openpgpThread('encrypt', passphrase), plaintext);
}

/**
 * Decrypts an OpenPGP message with a passphrase, as a stream. openpgp.js emits plaintext before it
 * has checked the integrity code at the end (it reports tampering only as the stream's last error):
 * callers must read to the end, and must not act on any of it, before the stream has ended cleanly.
 */
export async function decryptWithPassphrase(ciphertext: NodeJS.ReadableStream, passphrase: string): Promise<Readable> {
  return await through(openpgpThread('decrypt', passphrase), ciphertext);
}

async function through({ stream, ready }: ReturnType<typeof openpgpThread>, input: NodeJS.ReadableStream): Promise<Readable> {
  // pipeline, not pipe: an error upstream must reach the worker and fail the output.
  pipeline(input, stream, () => {});
  try {
    await ready;
  } catch (error) {
    stream.destroy();
    throw error;
  }
  return stream;
}
