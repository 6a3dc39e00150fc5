import 'server-only';
import { unzipSync } from 'fflate';
import { LifeboatError } from '@/lib/errors';

export type ClientBundle = { ca: string; cert: string; key: string; url: string | null };

const MAX_BUNDLE_BYTES = 1024 * 1024;
/** The only entries read; any other is never inflated (a zip bomb's 200 MB among them). */
const WANTED = new Set(['ca.pem', 'cert.pem', 'key.pem', 'env.sh']);
/** A PEM file or env.sh is a few KiB; a bigger entry (by its declared size, which bounds the inflation) is refused. */
const MAX_ENTRY_BYTES = 64 * 1024;

/**
 * Reads a UCP-style client bundle: a small zip with ca.pem, cert.pem and key.pem (anywhere in it),
 * and usually an env.sh whose DOCKER_HOST names the engine.
 */
export function readClientBundle(zip: Uint8Array): ClientBundle {
  if (zip.byteLength > MAX_BUNDLE_BYTES) throw new LifeboatError('invalid_input', 'the bundle is larger than 1 MB: is it a client bundle?');
  let files: Record<string, Uint8Array>;
  let oversized: string | null = null;
  const wanted = (entry: { name: string; originalSize: number }) => {
    if (!WANTED.has(baseName(entry.name))) return false;
    if (entry.originalSize > MAX_ENTRY_BYTES) oversized ??= entry.name;
    return entry.originalSize <= MAX_ENTRY_BYTES;
  };
  try {
    files = unzipSync(zip, { filter: wanted });
  } catch {
    throw new LifeboatError('invalid_input', 'the bundle is not a zip file');
  }
  if (oversized) throw new LifeboatError('invalid_input', `the bundle's ${oversized} is larger than 64 KiB: is it a client bundle?`);
  const byBaseName = new Map(Object.entries(files).map(([path, data]) => [baseName(path), new TextDecoder().decode(data)]));
  const need = (name: string) => {
    const text = byBaseName.get(name);
    if (!text) throw new LifeboatError('invalid_input', `the bundle has no ${name}`);
    return text;
  };
  const dockerHost = byBaseName.get('env.sh')?.match(/DOCKER_HOST=["']?([^"'\s]+)/)?.[1] ?? null;
  return { ca: need('ca.pem'), cert: need('cert.pem'), key: need('key.pem'), url: dockerHost };
}

function baseName(path: string): string {
  return path.split('/').pop()!;
}
