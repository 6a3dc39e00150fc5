import 'server-only';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient, type Prisma } from '@/lib/generated/prisma/client';
import { config } from './config';

// One client per process: route handlers and server actions may load separate module copies.
const globalForDb = globalThis as unknown as { lifeboatDb?: PrismaClient };

// WAL mode is set once on the file by `scripts/db.sh migrate`; the busy timeout covers other writers
// (CLI scripts, other server processes on the same data directory).
export const db = (globalForDb.lifeboatDb ??= new PrismaClient({
  adapter: guardingTransactions(new PrismaBetterSQLite3({ url: `file:${config.databaseFile}`, timeout: 10_000 })),
  // A transaction may wait out another process's write lock (the busy timeout) before it does its work.
  transactionOptions: { maxWait: 15_000, timeout: 30_000 },
}));

/** The client inside `db.$transaction(async (tx) => …)`, or `db` itself: history writes take either. */
export type Db = Prisma.TransactionClient;

/**
 * A write first: SQLite gives the transaction its write lock at once (waiting out the busy timeout for
 * another process's), so the checks that follow see every other lease and no one else's can interleave.
 */
export async function takeWriteLock(tx: Db) {
  await tx.$executeRaw`INSERT INTO "JobLock" ("id", "tick") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "tick" = "tick" + 1`;
}

/**
 * Two gaps in the adapter, which runs every query on one SQLite connection:
 * - It holds a lock for each transaction and lets go of it in its commit() or rollback(). When the COMMIT
 *   (or ROLLBACK) statement itself fails (SQLITE_FULL: the data directory is full), Prisma calls neither,
 *   and every later transaction of the process waits for that lock for ever. Here a failed end statement
 *   ends the transaction on the connection and lets go of the lock, then fails as before.
 * - A query outside any transaction runs on that same connection even while another task's transaction
 *   is open, and so joins it: the other task's rollback would silently undo it (a job's final state, say).
 *   Here such a query waits until no transaction is open.
 */
function guardingTransactions(factory: PrismaBetterSQLite3): PrismaBetterSQLite3 {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    let open: Promise<void> | null = null;
    const outsideTransactions =
      <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        while (open) await open;
        return run(...args);
      };
    adapter.queryRaw = outsideTransactions(adapter.queryRaw.bind(adapter));
    adapter.executeRaw = outsideTransactions(adapter.executeRaw.bind(adapter));
    adapter.executeScript = outsideTransactions(adapter.executeScript.bind(adapter));

    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const transaction = await startTransaction(isolationLevel);
      let closed!: () => void;
      const current = (open = new Promise<void>((resolve) => (closed = resolve)));
      const close = () => {
        if (open === current) open = null;
        closed();
      };
      for (const end of ['commit', 'rollback'] as const) {
        const original = transaction[end].bind(transaction);
        transaction[end] = async () => {
          try {
            return await original();
          } finally {
            close();
          }
        };
      }
      const executeRaw = transaction.executeRaw.bind(transaction);
      transaction.executeRaw = async (query) => {
        try {
          return await executeRaw(query);
        } catch (error) {
          if (/^\s*(COMMIT|ROLLBACK)\b/i.test(query.sql)) {
            await executeRaw({ sql: 'ROLLBACK', args: [], argTypes: [] }).catch(() => {});
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
