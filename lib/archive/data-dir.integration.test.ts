// The data directory as setup leaves it: the database holds every manifest (each file's SHA-256), so no
// other local user may read it or list the store.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const dataDir = process.env.LIFEBOAT_DATA_DIR!;
const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);

describe('the data directory', () => {
  it("is its owner's alone, and so is the database", () => {
    expect(mode(dataDir)).toBe('700');
    expect(mode(path.join(dataDir, 'lifeboat.db'))).toBe('600');
  });
});
