import 'server-only';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '@/lib/generated/prisma/client';
import { config } from './config';

// One client per process: route handlers and server actions may load separate module copies.
const globalForDb = globalThis as unknown as { lifeboatDb?: PrismaClient };

// WAL mode is set once on the file by `scripts/db.sh migrate`; the busy timeout covers CLI writers.
export const db = (globalForDb.lifeboatDb ??= new PrismaClient({
  adapter: new PrismaBetterSQLite3({ url: `file:${config.databaseFile}`, timeout: 10_000 }),
}));
