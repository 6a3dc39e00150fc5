import 'server-only';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { helperImageOverride } from '@/lib/config';
import { LifeboatError } from '@/lib/errors';
import type { Engine, HelperImageId } from './engine';

/** Lifeboat's own helper image, as scripts/helper-image.sh built it: its tarball, its tag and its ID (the SHA-256 of its config). */
export type HelperImageFile = { path: string; tag: string; id: string };

/** Where setup (scripts/setup.sh) builds it; the server, the scripts and the tests run from the project root. */
export function helperImagePath() {
  return path.join(process.cwd(), 'build', 'helper-image.tar');
}

export const HELPER_IMAGE_REPOSITORY = 'lifeboat/helper';
const MAX_JSON_BYTES = 64 * 1024;

/**
 * Reads a `docker save` tarball's manifest and config, and computes the image's ID from the config's
 * bytes as the engine does: the ID Lifeboat expects on every engine. Streams the file; only the two
 * small JSON documents are kept.
 */
export async function readHelperImageFile(file: string): Promise<HelperImageFile> {
  const documents = new Map<string, Buffer>();
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const name = header.name.replace(/^\.\//, '');
    if (!name.endsWith('.json') || (header.size ?? 0) > MAX_JSON_BYTES) {
      stream.once('end', next).resume();
      return;
    }
    const chunks: Buffer[] = [];
    stream.on('data', (chunk) => chunks.push(chunk as Buffer));
    stream.once('end', () => {
      documents.set(name, Buffer.concat(chunks));
      next();
    });
  });
  try {
    await pipeline(fs.createReadStream(/*turbopackIgnore: true*/ file), extract);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new LifeboatError('internal', `Lifeboat's helper image ${missing ? 'is not built' : `cannot be read (${(error as Error).message})`}: ${file}; npm run setup builds it`);
  }
  return describeHelperImage(file, documents);
}

/** The tag and ID of the image in a `docker save` tarball of one image, from its JSON documents; throws when they do not agree. */
export function describeHelperImage(file: string, documents: Map<string, Buffer>): HelperImageFile {
  const invalid = (why: string) => new LifeboatError('internal', `Lifeboat's helper image ${file} is not one it built (${why}): npm run setup builds it again`);
  let manifest: unknown;
  try {
    manifest = JSON.parse(documents.get('manifest.json')?.toString('utf8') ?? 'null');
  } catch {
    throw invalid('manifest.json is not JSON');
  }
  const entry = Array.isArray(manifest) && manifest.length === 1 ? (manifest[0] as { Config?: unknown; RepoTags?: unknown }) : null;
  const tags = Array.isArray(entry?.RepoTags) ? entry.RepoTags : [];
  if (!entry || typeof entry.Config !== 'string' || tags.length !== 1 || typeof tags[0] !== 'string') throw invalid('manifest.json names no single image and tag');
  const config = documents.get(entry.Config);
  if (!config) throw invalid(`no ${entry.Config}`);
  const id = `sha256:${createHash('sha256').update(config).digest('hex')}`;
  if (entry.Config !== `${id.slice('sha256:'.length)}.json`) throw invalid(`the config's SHA-256 is not its name ${entry.Config}`);
  const tag = tags[0];
  if (tag !== `${HELPER_IMAGE_REPOSITORY}:${id.slice('sha256:'.length, 'sha256:'.length + 12)}`) throw invalid(`the tag ${tag} does not name its ID`);
  return { path: file, tag, id };
}

const readings = new Map<string, { version: string; image: Promise<HelperImageFile> }>();

/** Lifeboat's own helper image; read again when setup rebuilt the file. */
async function ownHelperImage(): Promise<HelperImageFile> {
  const file = helperImagePath();
  const stat = await fs.promises.stat(/*turbopackIgnore: true*/ file).catch(() => null);
  const version = stat ? `${stat.size}:${stat.mtimeMs}:${stat.ino}` : 'missing';
  const known = readings.get(file);
  if (known?.version === version) return known.image;
  const image = readHelperImageFile(file);
  readings.set(file, { version, image });
  image.catch(() => readings.delete(file));
  return image;
}

/**
 * The image helper containers on `engine` are created from, checked now (before each use): the image
 * `LIFEBOAT_HELPER_IMAGE` names, when it is set; else Lifeboat's own, loaded into the engine when it
 * lacks it. An image that carries Lifeboat's tag with other content (someone tagged another image
 * with its name) is refused, and never run.
 */
export async function helperImageId(engine: Engine): Promise<HelperImageId> {
  const configured = helperImageOverride();
  if (configured) {
    const id = await engine.imageId(configured);
    if (!id)
      throw new LifeboatError(
        'invalid_input',
        `${engine.name} has no image ${configured} (LIFEBOAT_HELPER_IMAGE): load it there, or unset LIFEBOAT_HELPER_IMAGE to use Lifeboat's own helper image`,
      );
    return id as HelperImageId;
  }
  const own = await ownHelperImage();
  let id = await engine.imageId(own.tag);
  if (id === null) {
    await engine.loadImage(fs.createReadStream(/*turbopackIgnore: true*/ own.path), own.tag);
    id = await engine.imageId(own.tag);
  }
  if (id !== own.id) {
    throw new LifeboatError(
      'conflict',
      `${engine.name}: the image tagged ${own.tag} is ${id ?? 'gone'}, not Lifeboat's helper image ${own.id}: someone gave another image Lifeboat's name, and Lifeboat runs no helper from it. Remove that tag on the node (docker rmi ${own.tag}) and Lifeboat loads its own again`,
    );
  }
  return id as HelperImageId;
}
