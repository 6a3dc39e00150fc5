import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeHelperImage, readHelperImageFile } from './helper-image';

const run = promisify(execFile);

describe("scripts/helper-image.mjs: Lifeboat's helper image", () => {
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-helper-image-'));
    await run('node', ['scripts/helper-image.mjs', path.join(dir, 'a.tar')]);
    await run('node', ['scripts/helper-image.mjs', path.join(dir, 'b.tar')]);
  }, 60_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is the same bytes each build', () => {
    expect(fs.readFileSync(path.join(dir, 'a.tar')).equals(fs.readFileSync(path.join(dir, 'b.tar')))).toBe(true);
  });

  it('has the ID the engine will give it, the SHA-256 of its config, and a tag that names it', async () => {
    const image = await readHelperImageFile(path.join(dir, 'a.tar'));
    const { stdout: manifest } = await run('tar', ['-xOf', path.join(dir, 'a.tar'), 'manifest.json']);
    const configName = JSON.parse(manifest)[0].Config;
    const { stdout: config } = await run('tar', ['-xOf', path.join(dir, 'a.tar'), configName], { encoding: 'buffer' });
    const sha256 = createHash('sha256').update(config).digest('hex');
    expect(image).toEqual({ path: path.join(dir, 'a.tar'), id: `sha256:${sha256}`, tag: `lifeboat/helper:${sha256.slice(0, 12)}` });
    expect(JSON.parse(config.toString())).toMatchObject({ os: 'linux', config: { Cmd: ['sh'] }, created: '1970-01-01T00:00:00Z' });
  });

  it('holds busybox and the applets the helpers run (sh, rm, chown, chmod, touch)', async () => {
    const { stdout: manifest } = await run('tar', ['-xOf', path.join(dir, 'a.tar'), 'manifest.json']);
    const layer = JSON.parse(manifest)[0].Layers[0];
    const { stdout: listing } = await run('bash', ['-o', 'pipefail', '-c', `tar -xOf '${path.join(dir, 'a.tar')}' '${layer}' | tar -tv`], { maxBuffer: 16 * 1024 * 1024 });
    expect(listing).toMatch(/^-rwxr-xr-x 0\/0 +\d+ 1970-01-01 00:00 bin\/busybox$/m);
    for (const applet of ['sh', 'rm', 'chown', 'chmod', 'touch', 'true']) expect(listing).toMatch(new RegExp(`/${applet} -> /bin/busybox$`, 'm'));
  });

  it('is refused when it is missing, with how to build it', async () => {
    await expect(readHelperImageFile(path.join(dir, 'none.tar'))).rejects.toThrow(/helper image is not built: .*none\.tar; npm run setup builds it/);
  });
});

describe('describeHelperImage', () => {
  const config = Buffer.from('{"os":"linux"}');
  const hex = createHash('sha256').update(config).digest('hex');
  const documents = (manifest: unknown, configs: Record<string, Buffer> = { [`${hex}.json`]: config }) =>
    new Map([['manifest.json', Buffer.from(JSON.stringify(manifest))], ...Object.entries(configs)]);

  it('takes the ID from the config and the tag from the manifest', () => {
    const image = describeHelperImage('x.tar', documents([{ Config: `${hex}.json`, RepoTags: [`lifeboat/helper:${hex.slice(0, 12)}`], Layers: [] }]));
    expect(image).toEqual({ path: 'x.tar', id: `sha256:${hex}`, tag: `lifeboat/helper:${hex.slice(0, 12)}` });
  });

  it('refuses a config whose SHA-256 is not its name', () => {
    const other = 'f'.repeat(64);
    expect(() =>
      describeHelperImage('x.tar', documents([{ Config: `${other}.json`, RepoTags: [`lifeboat/helper:${other.slice(0, 12)}`] }], { [`${other}.json`]: config })),
    ).toThrow(/not one it built \(the config's SHA-256 is not its name/);
  });

  it('refuses a tag that does not name the ID, or another name', () => {
    expect(() => describeHelperImage('x.tar', documents([{ Config: `${hex}.json`, RepoTags: ['lifeboat/helper:000000000000'] }]))).toThrow(
      /the tag lifeboat\/helper:000000000000 does not name its ID/,
    );
    expect(() => describeHelperImage('x.tar', documents([{ Config: `${hex}.json`, RepoTags: [`busybox:${hex.slice(0, 12)}`] }]))).toThrow(/does not name its ID/);
  });

  it('refuses a tarball of several images, or none', () => {
    expect(() => describeHelperImage('x.tar', documents([]))).toThrow(/names no single image and tag/);
    expect(() => describeHelperImage('x.tar', new Map())).toThrow(/names no single image and tag/);
  });
});
