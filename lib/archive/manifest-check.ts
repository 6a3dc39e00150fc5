import 'server-only';
import type { z } from 'zod';
import { invalid } from '@/lib/errors';
import {
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  manifestEntrySchema,
  manifestSchema,
  volumeCountsSchema,
  type Manifest,
  type ManifestEntry,
  type ManifestSummary,
  type VolumeSummary,
} from './manifest';
import type { VolumeRead } from './volume-read';

/** What an archive held, as its reader saw it, by volume. */
type EntriesRead = ReadonlyMap<string, VolumeRead>;

const HEAD_END = '"volumes":[';
const VOLUME_HEAD_END = '"entries":[';
const NEWLINE = 0x0a;

/**
 * Checks an archive's manifest against what was read of it, as the manifest's bytes come: every volume,
 * entry, type, owner, mode, time, link and file hash it names was read, and nothing else.
 *
 * Lifeboat writes a manifest one entry per line (ManifestWriter), and such a manifest is checked line
 * by line: none of it is held. One whose first line is not that layout's (the pretty-printed JSON of
 * early versions, one made by hand) is read whole, then checked the same way; one whose first line is
 * must keep to the layout. Checked as it comes, a manifest is refused for its first fault in reading
 * order, be it a disagreement or malformed JSON.
 */
export class ManifestChecker {
  private readonly compare: Comparison;
  private layout: 'undecided' | 'lines' | 'whole' = 'undecided';
  private readonly held: Buffer[] = [];
  private readonly grammar: LineGrammar;
  private partialLine: Buffer[] = [];

  constructor(read: EntriesRead) {
    this.compare = new Comparison(read);
    this.grammar = new LineGrammar(this.compare);
  }

  push(bytes: Buffer) {
    if (this.layout !== 'lines') this.held.push(bytes);
    if (this.layout === 'whole') return;
    let start = 0;
    for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
      const text = this.partialLine.length === 0 ? bytes.toString('utf8', start, end) : Buffer.concat([...this.partialLine, bytes.subarray(start, end)]).toString('utf8');
      this.partialLine = [];
      start = end + 1;
      if (this.layout === 'undecided') {
        this.layout = this.grammar.isHead(text) ? 'lines' : 'whole';
        if (this.layout === 'whole') return;
        this.held.length = 0;
      }
      this.grammar.read(text);
    }
    if (start < bytes.length) this.partialLine.push(bytes.subarray(start));
  }

  /** The manifest's head and each volume's counts and root, once the whole manifest agrees with what was read. */
  end(): ManifestSummary {
    if (this.layout === 'lines') {
      if (this.partialLine.length > 0) this.grammar.read(Buffer.concat(this.partialLine).toString('utf8'));
      this.grammar.end();
    } else {
      const manifest = parseManifest(Buffer.concat(this.held).toString('utf8'));
      this.compare.head({ ...manifest, volumes: [] });
      for (const volume of manifest.volumes) {
        this.compare.startVolume(volume.name);
        for (const entry of volume.entries) this.compare.entry(entry);
        this.compare.endVolume(volume);
      }
    }
    return this.compare.end();
  }
}

/** The manifest's text, checked before anything relies on it: it comes from outside. */
function parseManifest(text: string): Manifest {
  const raw = parseJson(text) as { format?: unknown; formatVersion?: unknown };
  if (raw?.format !== MANIFEST_FORMAT) invalid('the manifest is not a Lifeboat manifest');
  if (typeof raw.formatVersion !== 'number' || raw.formatVersion > MANIFEST_VERSION) {
    invalid(`the archive is of format version ${raw.formatVersion}; this Lifeboat reads up to version ${MANIFEST_VERSION}: upgrade Lifeboat`);
  }
  return checked(manifestSchema, raw, '');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return invalid('the manifest is not valid JSON');
  }
}

function checked<T>(schema: z.ZodType<T>, raw: unknown, where: string): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return invalid(`the manifest is malformed: ${[where, ...issue.path].filter((p) => p !== '').join('.')}: ${issue.message}`);
}

/**
 * The lines ManifestWriter writes, in order: the head up to `"volumes":[`; per volume, its start up to
 * `"entries":[`, one entry per line and its end `],"files":…,"bytes":…}`, each with a comma if another
 * follows; then `]}`. A line out of place is not that layout's JSON.
 */
class LineGrammar {
  private state: 'head' | 'volumes' | 'entries' | 'done' = 'head';
  /** Whether the last element ended with a comma: another must follow. */
  private more = false;
  private volume = -1;
  private entry = 0;
  private lines = 0;

  constructor(private readonly compare: Comparison) {}

  /** Whether `line` opens a manifest of this layout. */
  isHead(line: string) {
    if (!line.endsWith(HEAD_END)) return false;
    try {
      JSON.parse(`${line}]}`);
      return true;
    } catch {
      return false;
    }
  }

  read(line: string) {
    const { compare } = this;
    const { text, comma } = line.endsWith(',') ? { text: line.slice(0, -1), comma: true } : { text: line, comma: false };
    const firstVolume = this.volume === -1;
    this.lines += 1;
    if (this.state === 'head') {
      compare.head({ ...parseManifest(`${line}]}`), volumes: [] });
      this.state = 'volumes';
    } else if (this.state === 'volumes' && text.endsWith(VOLUME_HEAD_END) && !comma && this.more !== firstVolume) {
      this.volume += 1;
      this.entry = 0;
      const { name } = checked(volumeHeadSchema, parseJson(`${text}]}`), `volumes.${this.volume}`);
      compare.startVolume(name);
      this.state = 'entries';
    } else if (this.state === 'volumes' && text === ']}' && !this.more && !comma) {
      this.state = 'done';
    } else if (this.state === 'entries' && text.startsWith('{') && (this.entry === 0 || this.more)) {
      compare.entry(checked(manifestEntrySchema, parseJson(text), `volumes.${this.volume}.entries.${this.entry}`));
      this.entry += 1;
    } else if (this.state === 'entries' && text.startsWith('],') && (this.entry === 0 || !this.more)) {
      compare.endVolume(checked(volumeCountsSchema.strict(), parseJson(`{${text.slice(2)}`), `volumes.${this.volume}`));
      this.state = 'volumes';
    } else if (!(this.state === 'done' && line === '')) {
      this.outOfLayout();
    }
    this.more = comma;
  }

  end() {
    if (this.state !== 'done') invalid(`the manifest is cut short after line ${this.lines}`);
  }

  private outOfLayout(): never {
    return invalid(`the manifest is not valid JSON in the one-entry-per-line layout Lifeboat writes (line ${this.lines})`);
  }
}

// Strict: a key the writer does not put on these lines would be read otherwise by a whole-document parse.
const volumeHeadSchema = manifestSchema.shape.volumes.element.pick({ name: true, entries: true }).strict();

/** The manifest's parts as they come, compared with what was read. */
class Comparison {
  private summary: ManifestSummary | null = null;
  private volume: { summary: VolumeSummary; read: VolumeRead; seen: Uint8Array; matched: number; files: number; bytes: number } | null = null;
  private readonly listed = new Set<string>();

  constructor(private readonly read: EntriesRead) {}

  head(summary: ManifestSummary) {
    this.summary = summary;
  }

  startVolume(name: string) {
    const read = this.read.get(name);
    if (!read) disagree(`volume ${name} is missing`);
    const summary: VolumeSummary = { name, files: 0, bytes: 0, root: null };
    this.summary!.volumes.push(summary);
    this.listed.add(name);
    this.volume = { summary, read, seen: new Uint8Array(read.layout.size), matched: 0, files: 0, bytes: 0 };
  }

  entry(expected: ManifestEntry) {
    const volume = this.volume!;
    const actual = volume.read.get(expected.path);
    const where = `${volume.summary.name}/${expected.path}`;
    if (!actual) return disagree(`${where} is missing`);
    if (actual.type !== expected.type) disagree(`${where} is a ${actual.type}, not a ${expected.type}`);
    if (expected.type === 'file' && (actual.sha256 !== expected.sha256 || actual.size !== expected.size)) disagree(`${where} has other contents`);
    if ((expected.linkname ?? null) !== (actual.linkname ?? null)) disagree(`${where} links elsewhere`);
    const sameSecond = Math.floor(Date.parse(expected.mtime) / 1000) === actual.mtimeSeconds;
    if (actual.mode !== (expected.mode & 0o7777) || actual.uid !== expected.uid || actual.gid !== expected.gid || !sameSecond) {
      disagree(`${where} has another owner, mode or time`);
    }
    const row = volume.read.layout.rowOf(expected.path)!;
    if (!volume.seen[row]) volume.matched += 1;
    volume.seen[row] = 1;
    if (expected.path === '') volume.summary.root = expected;
    if (expected.type !== 'file') return;
    volume.files += 1;
    volume.bytes += expected.size;
  }

  endVolume(counts: { files: number; bytes: number }) {
    const { summary, read, seen, matched, files, bytes } = this.volume!;
    if (matched < read.layout.size) {
      for (const [path, row] of read.layout.paths()) if (!seen[row]) disagree(`${summary.name}/${path} is not in the manifest`);
    }
    if (counts.files !== files || counts.bytes !== bytes) disagree(`the counts of ${summary.name} are wrong`);
    summary.files = files;
    summary.bytes = bytes;
    this.volume = null;
  }

  end(): ManifestSummary {
    const unlisted = [...this.read.keys()].find((name) => !this.listed.has(name));
    if (unlisted) disagree(`volume ${unlisted} is not in the manifest`);
    return this.summary!;
  }
}

function disagree(detail: string): never {
  return invalid(`the manifest disagrees with the contents: ${detail}`);
}
