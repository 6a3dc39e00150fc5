import 'server-only';
import { LifeboatError } from '@/lib/errors';
import { MAX_MANIFEST_BYTES, type Manifest, type ManifestEntry } from './manifest';

/** Where a manifest's text goes as it is written, in parts, and where it is read back from. */
export type ManifestStore = { append: (text: string) => Promise<void>; parts: () => AsyncIterable<string> };

/**
 * Characters per part. Small enough to stay out of V8's large-object space: the history's client
 * kept every part of 1 MiB it wrote alive (about 1 MiB of heap each, measured), and none of 64 KiB.
 */
export const PART_CHARACTERS = 1 << 16;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * Writes a manifest's JSON as its entries come, one entry per line, into `store` in parts of at most
 * PART_CHARACTERS: a volume of a million files costs no more memory than one of ten. Each volume's
 * counts follow its entries (JSON objects have no order).
 */
export class ManifestWriter {
  /** The UTF-8 bytes written so far. */
  bytes = 0;
  private pending = '';
  private entries = 0;
  /** Each volume's counts: all it keeps of the manifest. */
  private readonly volumes: { name: string; files: number; bytes: number }[] = [];

  constructor(
    private readonly store: ManifestStore,
    head: Omit<Manifest, 'volumes'>,
    private readonly maxBytes = MAX_MANIFEST_BYTES,
  ) {
    this.add(`${JSON.stringify(head).slice(0, -1)},"volumes":[`);
  }

  startVolume(name: string) {
    this.add(`${this.volumes.length > 0 ? ',' : ''}\n{"name":${JSON.stringify(name)},"entries":[`);
    this.volumes.push({ name, files: 0, bytes: 0 });
    this.entries = 0;
  }

  entry(entry: ManifestEntry) {
    this.add(`${this.entries > 0 ? ',' : ''}\n${JSON.stringify(entry)}`);
    this.entries += 1;
    if (entry.type !== 'file') return;
    const volume = this.volumes.at(-1)!;
    volume.files += 1;
    volume.bytes += entry.size;
  }

  endVolume() {
    const { files, bytes } = this.volumes.at(-1)!;
    this.add(`\n],"files":${files},"bytes":${bytes}}`);
  }

  /** Hands every full part to the store; call it between entries, where waiting is allowed. */
  async flush() {
    while (this.pending.length >= PART_CHARACTERS) {
      // A character outside the BMP is two UTF-16 units: never cut between them.
      const cut = isHighSurrogate(this.pending.charCodeAt(PART_CHARACTERS - 1)) ? PART_CHARACTERS - 1 : PART_CHARACTERS;
      const part = this.pending.slice(0, cut);
      this.pending = this.pending.slice(cut);
      await this.store.append(part);
    }
  }

  /** Writes the end and the last parts. */
  async end() {
    this.add('\n]}\n');
    await this.flush();
    if (this.pending) await this.store.append(this.pending);
    this.pending = '';
  }

  private add(text: string) {
    this.pending += text;
    this.bytes += Buffer.byteLength(text);
    if (this.bytes > this.maxBytes) {
      throw new LifeboatError(
        'invalid_input',
        `the manifest of these volumes would be larger than ${this.maxBytes / 1024 / 1024} MiB (too many files), and Lifeboat could not restore it`,
      );
    }
  }
}
