import 'server-only';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient, type Prisma } from '@/lib/generated/prisma/client';
import { config } from './config';

// One client per process: route handlers and server actions may load separate module copies.
const globalForDb = globalThis as unknown as { lifeboatDb?: PrismaClient };

// WAL mode is set once on the file by `scripts/db.sh migrate`; the busy timeout covers other writers
// (CLI scripts, other server processes on the same data directory).
export const db = (globalForDb.lifeboatDb ??= new PrismaClient({
  adapter: releasingLockOnFailedCommit(new PrismaBetterSQLite3({ url: `file:${config.databaseFile}`, timeout: 10_000 })),
  // A transaction may wait out another process's write lock (the busy timeout) before it does its work.
  transactionOptions: { maxWait: 15_000, timeout: 30_000 },
}));

/** The client inside `db.$transaction(async (tx) => …)`, or `db` itself: history writes take either. */
export type Db = Prisma.TransactionClient;

/**
 * The adapter holds a lock for each transaction and lets go of it in its commit() or rollback(). When the
 * COMMIT statement itself fails (SQLITE_FULL: the data directory is full), Prisma calls neither, and
 * every later query of the process waits for that lock for ever. Here a failed COMMIT ends the
 * transaction on the connection and lets go of the lock, then fails as before.
 */
function releasingLockOnFailedCommit(factory: PrismaBetterSQLite3): PrismaBetterSQLite3 {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const transaction = await startTransaction(isolationLevel);
      const executeRaw = transaction.executeRaw.bind(transaction);
      transaction.executeRaw = async (query) => {
        try {
          return await executeRaw(query);
        } catch (error) {
          if (/^\s*COMMIT\b/i.test(query.sql)) {
            await adapter.executeRaw({ sql: 'ROLLBACK', args: [], argTypes: [] }).catch(() => {});
            await transaction.rollback();
          }
          throw error;
        }
      };
      return transaction;
    };
    return adapter;
  };
  return factory;
}
