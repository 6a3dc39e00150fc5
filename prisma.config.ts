import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

// Prisma 6.19's JS schema engine runs offline (no native engine download); see README.
const dataDir = path.resolve(process.env.LIFEBOAT_DATA_DIR ?? 'data');

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  adapter: async () => new PrismaBetterSQLite3({ url: `file:${path.join(dataDir, 'lifeboat.db')}` }),
});
