import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      // lib/ is server-only; under test it runs in plain Node.
      { find: 'server-only', replacement: path.join(root, 'e2e/support/server-only.ts') },
    ],
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'components/**/*.test.{ts,tsx}'],
          exclude: ['**/*.integration.test.ts', 'node_modules/**'],
          // Some run gpg or OpenPGP's S2K: seconds each, more beside a lab's tests on two cores.
          testTimeout: 20_000,
          env: { LIFEBOAT_SECRET: 'unit-test-secret-not-for-production' },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['lib/**/*.integration.test.ts'],
          // One lab for all: files that stop engines must not overlap with files that read them.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
