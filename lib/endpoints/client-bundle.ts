import 'server-only';
import { unzipSync } from 'fflate';
import { LifeboatError } from '@/lib/errors';

export type ClientBundle = { ca: string; cert: string; key: string; url: string | null };

const MAX_BUNDLE_BYTES = 1024 * 1024;

/**
 * Reads a UCP-style client bundle: a small zip with ca.pem, cert.pem and key.pem (anywhere in it),
 * and usually an env.sh whose DOCKER_HOST names the engine.
 */
export function readClientBundle(zip: Uint8Array): ClientBundle {
  if (zip.byteLength > MAX_BUNDLE_BYTES) throw new LifeboatError('invalid_input', 'the bundle is larger than 1 MB: is it a client bundle?');
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip);
  } catch {
    throw new LifeboatError('invalid_input', 'the bundle is not a zip file');
  }
  const byBaseName = new Map(Object.entries(files).map(([path, data]) => [path.split('/').pop()!, new TextDecoder().decode(data)]));
  const need = (name: string) => {
    const text = byBaseName.get(name);
    if (!text) throw new LifeboatError('invalid_input', `the bundle has no ${name}`);
    return text;
  };
  const dockerHost = byBaseName.get('env.sh')?.match(/DOCKER_HOST=["']?([^"'\s]+)/)?.[1] ?? null;
  return { ca: need('ca.pem'), cert: need('cert.pem'), key: need('key.pem'), url: dockerHost };
}
