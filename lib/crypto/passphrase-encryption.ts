import 'server-only';
import { pipeline, type Readable } from 'node:stream';
import { openpgpThread, type OpenpgpPath } from './openpgp-thread';

/** Plaintext out of an OpenPGP message, and which code read it. */
export type Decrypted = Readable & { path: OpenpgpPath };

/**
 * OpenPGP symmetric encryption with a passphrase, as `gpg --symmetric` writes it and GnuPG 2.2 reads it:
 * AES-256, iterated-salted S2K, SEIPD v1 with MDC, no compression. Runs on a worker thread.
 */
export async function encryptWithPassphrase(plaintext: NodeJS.ReadableStream, passphrase: string): Promise<Readable> {
  return await through(openpgpThread('encrypt', passphrase), plaintext);
}

/**
 * Decrypts an OpenPGP message with a passphrase, as a stream. Plaintext comes out before the
 * integrity code at the end is checked (tampering is reported as the stream's last error): callers
 * must read to the end, and must not act on any of it, before the stream has ended cleanly.
 */
export async function decryptWithPassphrase(ciphertext: NodeJS.ReadableStream, passphrase: string): Promise<Decrypted> {
  return await through(openpgpThread('decrypt', passphrase), ciphertext);
}

async function through({ stream, ready }: ReturnType<typeof openpgpThread>, input: NodeJS.ReadableStream): Promise<Decrypted> {
  // pipeline, not pipe: an error upstream must reach the worker and fail the output.
  pipeline(input, stream, () => {});
  try {
    return Object.assign(stream, { path: await ready });
  } catch (error) {
    stream.destroy();
    throw error;
  }
}
