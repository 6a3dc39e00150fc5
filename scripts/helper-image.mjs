// node scripts/helper-image.mjs [OUT]: builds Lifeboat's helper image, the only image its helper containers
// run, as a `docker save` tarball (default: build/helper-image.tar), without network: one layer of
// Debian's static busybox with every applet a symlink. Same busybox, same bytes: entries in a fixed
// order, at the epoch, owned by root, and a fixed config, whose SHA-256 is the image ID. The tag is
// lifeboat/helper:<the ID's first 12 hex digits>, so a rebuild from another busybox never takes the
// name of an image an engine loaded earlier. scripts/setup.sh runs it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import tar from 'tar-stream';

const BUSYBOX = '/bin/busybox';
const ARCHITECTURES = { x64: 'amd64', arm64: 'arm64', ia32: '386' };

const out = path.resolve(process.argv[2] ?? 'build/helper-image.tar');
const architecture = ARCHITECTURES[process.arch];
if (!architecture) fail(`no helper image for the architecture ${process.arch}`);
if (!fs.existsSync(BUSYBOX)) fail(`missing ${BUSYBOX} (Debian package busybox-static)`);

const busybox = fs.readFileSync(BUSYBOX);
const applets = run(BUSYBOX, '--list-full')
  .split('\n')
  .filter((applet) => applet && applet !== 'bin/busybox');
const layer = await tarOf([
  ...['bin/', 'sbin/', 'usr/', 'usr/bin/', 'usr/sbin/'].map((name) => ({ name, type: 'directory', mode: 0o755 })),
  { name: 'tmp/', type: 'directory', mode: 0o1777 },
  { name: 'bin/busybox', mode: 0o755, content: busybox },
  ...applets.map((name) => ({ name, type: 'symlink', linkname: '/bin/busybox', mode: 0o777 })),
]);
const layerHex = sha256(layer);

// Keys in a fixed order: these bytes are the image ID.
const config = Buffer.from(
  JSON.stringify({
    architecture,
    config: {
      Cmd: ['sh'],
      Env: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin'],
      Labels: { 'org.opencontainers.image.title': 'Lifeboat helper', 'org.opencontainers.image.description': run(BUSYBOX).split('\n')[0] },
    },
    created: '1970-01-01T00:00:00Z',
    history: [{ created: '1970-01-01T00:00:00Z', created_by: 'scripts/helper-image.mjs' }],
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [`sha256:${layerHex}`] },
  }),
);
const id = sha256(config);
const tag = `lifeboat/helper:${id.slice(0, 12)}`;
const manifest = Buffer.from(JSON.stringify([{ Config: `${id}.json`, RepoTags: [tag], Layers: [`${layerHex}/layer.tar`] }]));

const image = await tarOf([
  { name: 'manifest.json', content: manifest },
  { name: `${id}.json`, content: config },
  { name: `${layerHex}/`, type: 'directory', mode: 0o755 },
  { name: `${layerHex}/layer.tar`, content: layer },
]);
fs.mkdirSync(path.dirname(out), { recursive: true });
// An unchanged image keeps its file; a changed one replaces it at once, never half-written.
if (!fs.existsSync(out) || !fs.readFileSync(out).equals(image)) {
  fs.writeFileSync(`${out}.part`, image);
  fs.renameSync(`${out}.part`, out);
}
console.error(`lifeboat: helper image: ${tag} (sha256:${id}) in ${out}`);

/** A tar of `entries`, in their order, every one at the epoch and owned by root with no user or group name. */
async function tarOf(entries) {
  const pack = tar.pack();
  const packed = buffer(pack);
  for (const { content, ...header } of entries) {
    const entry = { type: 'file', mode: 0o644, mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '', ...header };
    await new Promise((resolve, reject) => pack.entry(entry, content, (error) => (error ? reject(error) : resolve())));
  }
  pack.finalize();
  return packed;
}

function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A program's output, whatever its exit status (busybox without arguments prints its banner and may exit 1). */
function run(file, ...args) {
  const result = spawnSync(file, args, { encoding: 'utf8' });
  if (result.error) fail(`${file}: ${result.error.message}`);
  return `${result.stdout}${result.stderr}`;
}

function fail(message) {
  console.error(`lifeboat: error: ${message}`);
  process.exit(1);
}
