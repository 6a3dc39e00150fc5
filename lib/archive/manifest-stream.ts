import 'server-only';
import type { Manifest, ManifestEntry } from './manifest';

/** Where a manifest's text goes as it is written, in parts, and where it is read back from. */
export type ManifestStore = { append: (text: string) => Promise<void>; parts: () => AsyncIterable<string> };

/**
 * Characters per part. Small enough to stay out of V8's large-object space: the history's client
 * kept every part of 1 MiB it wrote alive (about 1 MiB of heap each, measured), and none of 64 KiB.
 */
export const PART_CHARACTERS = 1 << 16;

/**
 * Writes a manifest's JSON as its entries come, one entry per line, into `store` in parts of about
 * 64 KiB: a volume of a million files costs no more memory than one of ten. Each volume's counts
 * follow its entries (JSON objects have no order).
 */
export class ManifestWriter {
  /** The UTF-8 bytes written so far. */
  bytes = 0;
  private pending: string[] = [];
  private pendingCharacters = 0;
  private entries = 0;
  /** Each volume's counts: all it keeps of the manifest. */
  private readonly volumes: { name: string; files: number; bytes: number }[] = [];

  constructor(
    private readonly store: ManifestStore,
    head: Omit<Manifest, 'volumes'>,
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

  /** Hands a full part to the store; call it between entries, where waiting is allowed. */
  async flush() {
    if (this.pendingCharacters >= PART_CHARACTERS) await this.append();
  }

  /** Writes the end and the last part. */
  async end() {
    this.add('\n]}\n');
    await this.append();
  }

  private add(text: string) {
    this.pending.push(text);
    this.pendingCharacters += text.length;
    this.bytes += Buffer.byteLength(text);
  }

  private async append() {
    const text = this.pending.join('');
    this.pending = [];
    this.pendingCharacters = 0;
    await this.store.append(text);
  }
}
