import 'server-only';
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import type { ArchiveVisitor } from '@/lib/archive/archive-reader';
import type { ManifestEntry } from '@/lib/archive/manifest';
import { encodeHeader, END_OF_ARCHIVE, padding } from '@/lib/archive/tar-format';
import type { Engine } from '@/lib/docker/engine';
import { helperImageId } from '@/lib/docker/helper-image';

// The engine refuses a symlink whose target leaves the directory it extracts into (`../../x` at
// /lifeboat/<volume>); at the helper's root it refuses none, and the archive reader's checks keep
// every entry inside its volume.
/** Where the writer's tars are extracted: the helper's root. */
export const WRITE_PATH = '/';
const HELPER_ROOT = './lifeboat/';
/** What a volume's tar buffers before the archive's reading waits for its consumer. */
const TAR_BUFFER_BYTES = 1024 * 1024;

/**
 * Turns the archive's checked entries into one tar per volume, as the engine's archive API takes it
 * at the root of the writer helper (entries `./lifeboat/<volume>/<path>`, where the helper mounts each
 * volume), and hands each to `consume`: the engine itself, or a spool that the write pass replays.
 * Each tar header is built from the checked entry alone: nothing of the archive's own headers (pax
 * records) reaches the engine. The volume's own directory is not in it: the engine would not set it
 * (the restore does, afterwards).
 */
export function volumeTarWriter<T>(consume: (volume: string, tar: Readable) => Promise<T>) {
  let current: { volume: string; tar: PassThrough } | null = null;
  /** Tars begun in the last chunk whose consumer has not started: one volume is consumed at a time. */
  const queued: { volume: string; tar: PassThrough }[] = [];
  let consuming: Promise<T> | null = null;
  const consumed: T[] = [];
  /** A consumer's failure: from then on it is the answer (waiting for room in its tar would wait for ever). */
  let failure: { error: unknown } | null = null;
  let failWriter!: (error: unknown) => void;
  const failed = new Promise<never>((_, reject) => (failWriter = reject));
  failed.catch(() => {});
  let fileBytes = 0;

  const write = (piece: Buffer) => void current!.tar.write(piece);

  const startVolume = (volume: string) => {
    current?.tar.end(END_OF_ARCHIVE);
    const tar = new PassThrough({ highWaterMark: TAR_BUFFER_BYTES });
    // Its consumer's failure is the answer, not the stream's error event.
    tar.on('error', () => {});
    current = { volume, tar };
    queued.push(current);
  };

  /** Starts the queued tars' consumers, each once the one before has consumed its (ended) tar whole. */
  const startQueued = async () => {
    while (queued.length > 0) {
      if (consuming) consumed.push(await consuming);
      const { volume, tar } = queued.shift()!;
      consuming = consume(volume, tar);
      consuming.catch((error) => {
        failure ??= { error };
        failWriter(error);
      });
    }
  };

  const visitor: ArchiveVisitor = {
    entry: ({ volume, path, entry }) => {
      if (current?.volume !== volume) startVolume(volume);
      fileBytes = entry.type === 'file' ? entry.size : 0;
      if (!path) return;
      const pieces = encodeHeader({
        name: `${HELPER_ROOT}${volume}/${path}${entry.type === 'directory' ? '/' : ''}`,
        type: entry.type,
        mode: entry.mode,
        uid: entry.uid,
        gid: entry.gid,
        mtime: Math.floor(Date.parse(entry.mtime) / 1000),
        size: fileBytes,
        // A symlink's target is its text, kept as it is: the engine creates the link and never follows it.
        linkname: entry.type === 'link' ? `${HELPER_ROOT}${volume}/${entry.linkname}` : entry.type === 'symlink' ? entry.linkname : undefined,
      });
      for (const piece of pieces) write(piece);
    },
    body: write,
    entryEnd: () => {
      if (fileBytes > 0) write(padding(fileBytes));
    },
    flush: async () => {
      if (failure) throw failure.error;
      await startQueued();
      if (current?.tar.writableNeedDrain) await Promise.race([once(current.tar, 'drain'), failed]);
    },
  };

  /** Ends the last volume's tar; resolves with what `consume` gave for each volume, in order. */
  const finish = async () => {
    current?.tar.end(END_OF_ARCHIVE);
    current = null;
    await startQueued();
    if (consuming) consumed.push(await consuming);
    return consumed;
  };

  /** Abandons what is being written (the job failed): no queued tar is handed over; resolves once the running consumer has settled. */
  const abort = async (error: Error) => {
    current?.tar.destroy(error);
    for (const { tar } of queued.splice(0)) tar.destroy(error);
    await consuming?.catch(() => {});
  };

  return { visitor, finish, abort };
}

/** Docker's archive API writes but never deletes: a volume becomes exactly an archive's only once emptied. */
export async function emptyVolumes(engine: Engine, volumes: string[], jobId: string) {
  if (volumes.length === 0) return;
  await engine.runInVolumes({ image: await helperImageId(engine), volumes, script: EMPTY_VOLUMES, args: volumes, jobId, what: `emptying ${volumes.join(', ')}` });
}

/** A volume's own directory (path '' of its entries): its owner, mode and time. */
export type VolumeRoot = { volume: string; entry: ManifestEntry };

/** The archive API leaves each volume's own directory as it found it: sets its owner, mode and time. */
export async function setVolumeRoots(engine: Engine, roots: VolumeRoot[], jobId: string) {
  if (roots.length === 0) return;
  await engine.runInVolumes({
    image: await helperImageId(engine),
    volumes: roots.map((r) => r.volume),
    script: SET_VOLUME_ROOTS,
    args: roots.flatMap(({ volume, entry }) => {
      const time = entry.mtime.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
      return [`/lifeboat/${volume}`, String(entry.uid), String(entry.gid), (entry.mode & 0o7777).toString(8), time];
    }),
    jobId,
    what: "setting the volumes' own directories",
  });
}

/** $@: volume names. */
const EMPTY_VOLUMES = 'for volume in "$@"; do cd "/lifeboat/$volume" && rm -rf -- * .[!.]* ..?* || exit 1; done';

/** $@ is groups of five (directory, uid, gid, octal mode, time). */
const SET_VOLUME_ROOTS = 'while [ $# -gt 0 ]; do chown "$2:$3" "$1" && chmod "$4" "$1" && touch -d "$5" "$1" || exit 1; shift 5; done';
