import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import { GrowingFile } from './growing-file';

const dirs: string[] = [];
function tempFile() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'growing-'));
  dirs.push(dir);
  return path.join(dir, 'file');
}
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const write = (w: NodeJS.WritableStream, data: string) => new Promise<void>((resolve, reject) => w.write(data, (e) => (e ? reject(e) : resolve())));

describe('GrowingFile', () => {
  it('lets a reader that starts first follow the writer to the end', async () => {
    const file = new GrowingFile(tempFile());
    const reading = text(file.follow());
    const writer = file.writer();
    await write(writer, 'first ');
    await write(writer, 'second ');
    writer.end('last');
    await new Promise((resolve) => writer.on('finish', resolve));
    file.complete();
    expect(await reading).toBe('first second last');
  });

  it('serves a reader that starts after the end, from an offset', async () => {
    const file = new GrowingFile(tempFile());
    const writer = file.writer();
    writer.end('0123456789');
    await new Promise((resolve) => writer.on('finish', resolve));
    file.complete();
    expect(await text(file.follow(4))).toBe('456789');
  });

  it('keeps its readers waiting after the last byte until the owner declares the file complete', async () => {
    const file = new GrowingFile(tempFile());
    const writer = file.writer();
    writer.end('all of it');
    await new Promise((resolve) => writer.on('finish', resolve));
    let ended = false;
    const reading = text(file.follow()).then((t) => ((ended = true), t));
    await new Promise((resolve) => setImmediate(resolve));
    expect(ended).toBe(false);
    file.complete();
    expect(await reading).toBe('all of it');
  });

  it('fails its readers when the writer fails, never ending them cleanly', async () => {
    const file = new GrowingFile(tempFile());
    const reading = text(file.follow());
    const writer = file.writer();
    await write(writer, 'half of it');
    writer.on('error', () => {});
    writer.destroy(new Error('engine went away'));
    await expect(reading).rejects.toThrow('engine went away');
  });

  it('never writes over an existing file', async () => {
    const target = tempFile();
    fs.writeFileSync(target, 'precious');
    const writer = new GrowingFile(target).writer();
    await expect(new Promise((_, reject) => writer.on('error', reject))).rejects.toThrow(/EEXIST/);
    expect(fs.readFileSync(target, 'utf8')).toBe('precious');
  });

  it('moves a complete file; later readers find it at its new place', async () => {
    const file = new GrowingFile(tempFile());
    const writer = file.writer();
    writer.end('done');
    await new Promise((resolve) => writer.on('finish', resolve));
    const destination = `${file.path}.final`;
    await file.moveTo(destination);
    file.complete();
    expect(await text(file.follow())).toBe('done');
    expect(fs.existsSync(destination)).toBe(true);
  });
});
