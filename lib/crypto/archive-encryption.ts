import 'server-only';
import { randomFillSync } from 'node:crypto';
import { pipeline, type Readable, type Writable } from 'node:stream';
import { openpgpThread, type OpenpgpPath, type WrittenFile } from './openpgp-thread';

/**
 * Who can open a new archive: whoever knows the passphrase, and the holder of each public key's
 * private key (armored OpenPGP). At least one of them. `sessionKey`: the AES-256 key to write it with,
 * kept (in memory only) by a job that verifies the archive afterwards; a fresh random one otherwise.
 */
export type Recipients = { passphrase?: string; publicKeys?: string[]; sessionKey?: Uint8Array };

/**
 * What opens an archive: its passphrase, a private key it was encrypted to (armored) with the key's own
 * passphrase, or the session key it was written with (a policy's verification, in the job that wrote it).
 */
export type Opener = UserOpener | { sessionKey: Uint8Array };
/** What a user opens an archive with (a restore encrypts its safety copy to the same). */
export type UserOpener = { passphrase: string } | { privateKey: string; keyPassphrase?: string };

/** A fresh AES-256 session key. */
export function newSessionKey(): Uint8Array {
  return randomFillSync(new Uint8Array(32));
}

/** Plaintext out of an OpenPGP message, and which code read it. */
export type Decrypted = Readable & { path: OpenpgpPath };

/**
 * OpenPGP encryption, as `gpg --symmetric` and `gpg --encrypt` write it and GnuPG 2.2 reads it:
 * AES-256, a session key packet per recipient (iterated-salted S2K for a passphrase), SEIPD v1 with
 * MDC, no compression. Runs on a worker thread.
 */
export async function encryptArchive(plaintext: NodeJS.ReadableStream, recipients: Recipients): Promise<Readable> {
  return await through(openpgpThread({ operation: 'encrypt', ...recipients }), plaintext);
}

/**
 * `encryptArchive`, written by worker threads straight into the open file `fd` (the OpenPGP thread
 * encrypts, the file's thread writes, hashes and syncs), with the SHA-256 of what was written: the main
 * thread never holds the ciphertext. Write the plaintext into `input` and end it. `written` settles once
 * both threads are gone, so the caller may close `fd` then, whatever the outcome. `onWritten`: the bytes written so far. `yieldCpu`: see OpenpgpThread.
 */
export function encryptArchiveToFile(
  recipients: Recipients,
  fd: number,
  onWritten: (bytes: number) => void,
): { input: Writable; written: Promise<WrittenFile>; yieldCpu: (on: boolean) => void } {
  const thread = openpgpThread({ operation: 'encrypt', ...recipients, outputFd: fd }, onWritten);
  // Its failures are `written`'s answer.
  thread.stream.on('error', () => {});
  thread.stream.resume();
  const written = (async () => {
    try {
      const file = await thread.file;
      if (!file) throw new Error("the archive file's thread reported no file");
      return file;
    } catch (error) {
      thread.stream.destroy();
      throw error;
    } finally {
      await thread.exited;
    }
  })();
  return { input: thread.stream, written, yieldCpu: thread.yieldCpu };
}

/**
 * Decrypts an OpenPGP message, as a stream. Plaintext comes out before the integrity code at the end
 * is checked (tampering is reported as the stream's last error): callers must read to the end, and
 * must not act on any of it, before the stream has ended cleanly. A wrong passphrase or key rejects.
 */
export async function decryptArchive(ciphertext: NodeJS.ReadableStream, opener: Opener): Promise<Decrypted> {
  return await through(openpgpThread({ operation: 'decrypt', ...opener }), ciphertext);
}

/** The recipients that let whoever opened an archive open one made from it (a restore's safety copy). */
export function recipientsOf(opener: UserOpener): Recipients {
  return 'passphrase' in opener ? { passphrase: opener.passphrase } : { publicKeys: [opener.privateKey] };
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
