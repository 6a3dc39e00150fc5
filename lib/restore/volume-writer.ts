import 'server-only';
import type { Readable } from 'node:stream';
import tar, { type Pack } from 'tar-stream';
import type { EntryVisitor } from '@/lib/archive/archive-reader';
import type { ManifestEntry } from '@/lib/archive/manifest';
import { addEntry, readWhole, streamEntry, WHOLE_ENTRY_BYTES } from '@/lib/archive/tar-entries';
import type { Engine } from '@/lib/docker/engine';
import { helperImageId } from '@/lib/docker/helper-image';

// The engine refuses a symlink whose target leaves the directory it extracts into (`../../x` at
// /lifeboat/<volume>); at the helper's root it refuses none, and the archive reader's checks keep
// every entry inside its volume.
/** Where the writer's tars are extracted: the helper's root. */
export const WRITE_PATH = '/';
const HELPER_ROOT = './lifeboat/';

/**
 * Turns the archive's checked entries into one tar per volume, as the engine's archive API takes it
 * at the root of the writer helper (entries `./lifeboat/<volume>/<path>`, where the helper mounts each
 * volume), and hands each to `consume`: the engine itself, or a spool that the write pass replays.
 * Each tar header is built from the checked entry alone: nothing of the archive's own headers (pax
 * records) reaches the engine. The volume's own directory is not in it: the engine would not set it
 * (the restore does, afterwards).
 */
export function volumeTarWriter<T>(consume: (volume: string, tar: Readable) => Promise<T>) {
  // `failed` rejects when the consumer gives up on the volume's tar: then its error is the answer.
  let current: { volume: string; pack: Pack; consuming: Promise<T>; failed: Promise<never> } | null = null;
  const consumed: T[] = [];

  const finishCurrent = async () => {
    if (!current) return;
    current.pack.finalize();
    consumed.push(await current.consuming);
    current = null;
  };

  const visit: EntryVisitor = async ({ volume, path, entry, body }) => {
    if (current?.volume !== volume) {
      await finishCurrent();
      const pack = tar.pack();
      const consuming = consume(volume, pack as unknown as Readable);
      const failed = consuming.then(() => new Promise<never>(() => {}));
      failed.catch(() => {});
      current = { volume, pack, consuming, failed };
    }
    if (!path) {
      body.resume();
      return;
    }
    const header = {
      name: `${HELPER_ROOT}${volume}/${path}${entry.type === 'directory' ? '/' : ''}`,
      type: entry.type,
      mode: entry.mode,
      uid: entry.uid,
      gid: entry.gid,
      mtime: new Date(entry.mtime),
      size: entry.type === 'file' ? entry.size : 0,
      // A symlink's target is its text, kept as it is: the engine creates the link and never follows it.
      linkname: entry.type === 'link' ? `${HELPER_ROOT}${volume}/${entry.linkname}` : entry.type === 'symlink' ? entry.linkname : undefined,
    };
    const { pack, failed } = current;
    if (entry.type !== 'file') {
      body.resume();
      return addEntry(pack, header, undefined, failed);
    }
    if (entry.size <= WHOLE_ENTRY_BYTES) return addEntry(pack, header, await readWhole(body), failed);
    await streamEntry(pack, header, body as AsyncIterable<Buffer>, undefined, failed);
  };

  /** Ends the last volume's tar; resolves with what `consume` gave for each volume, in order. */
  const finish = async () => {
    await finishCurrent();
    return consumed;
  };

  /** Abandons what is being written (the job failed); resolves once its consumer has settled. */
  const abort = async (error: Error) => {
    const abandoned = current;
    abandoned?.pack.destroy(error);
    await abandoned?.consuming.catch(() => {});
  };

  return { visit, finish, abort };
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
