import { fileURLToPath } from "node:url";
import fs from "node:fs";
import path from "node:path";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import * as schema from "./schema";
import { lockDataDir, renewDataDirLock } from "./data-dir-lock";
import { takeTurns } from "./pglite-turns";
import { noteDatabaseError, noteDatabaseReachable } from "./availability";
import { describeError } from "./errors";

/** Both drivers expose the same query builder; we type against node-postgres's. */
export type Db = NodePgDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

/** Whether `db` is a transaction (drizzle's have `rollback`), not the database itself. */
export const isTransaction = (db: DbOrTx): db is Tx => typeof (db as { rollback?: unknown }).rollback === "function";

export interface DatabaseHandle {
  db: Db;
  kind: "pglite" | "postgres";
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | {
      kind: "postgres";
      url: string;
      poolSize?: number;
      lockTimeoutMs?: number;
      /** Longest wait for a connection (a new one or a free one from the pool). */
      connectTimeoutMs?: number;
      /** Longest a statement may run on the server; the client gives up a little after. */
      statementTimeoutMs?: number;
    }
  /** `thread`: "worker" runs PGlite in a worker thread (ADR 37); the server's default, set from PGLITE_THREAD. */
  | { kind: "pglite"; dataDir: string; thread?: PgliteThread }
  | { kind: "pglite-memory"; thread?: PgliteThread };

export type PgliteThread = "main" | "worker";

/** Measured in docs/benchmarks.md ("Signed-in pages, start-up and memory"). */
export const PGLITE_SHARED_BUFFERS = "32MB";

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  // Each driver is loaded only when used: start-up pays for one, not both.
  if (target.kind === "postgres") {
    const [{ default: pg }, { drizzle: drizzlePg }, { migrate: migratePg }] = await Promise.all([
      import("pg"),
      import("drizzle-orm/node-postgres"),
      import("drizzle-orm/node-postgres/migrator"),
    ]);
    // Every lock wait is bounded: a request stuck behind a hot row gives up with 55P03,
    // which the models turn into "busy, try again" instead of hanging.
    // Nothing waits for ever: not a connection (PostgreSQL down or the pool exhausted), not a
    // statement on the server, not an answer lost on the network (query_timeout, client side).
    const statementTimeoutMs = target.statementTimeoutMs ?? 15_000;
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolSize ?? 10,
      options: `-c lock_timeout=${target.lockTimeoutMs ?? 5000} -c statement_timeout=${statementTimeoutMs}`,
      connectionTimeoutMillis: target.connectTimeoutMs ?? 5000,
      query_timeout: statementTimeoutMs + 2000,
      keepAlive: true,
    });
    // A broken idle connection (PostgreSQL restarting) must not crash the process.
    pool.on("error", (error) => {
      noteDatabaseError(error);
      console.error(`[db] idle client error: ${describeError(error)}`);
    });
    // Every query and transaction starts here: the place to learn whether PostgreSQL is reachable.
    const connect = pool.connect.bind(pool) as (callback?: unknown) => unknown;
    pool.connect = ((callback?: (error: Error | undefined, client?: unknown, done?: unknown) => void) => {
      if (typeof callback === "function") {
        return connect((error: Error | undefined, client: unknown, done: unknown) => {
          if (error) noteDatabaseError(error);
          else noteDatabaseReachable();
          callback(error, client, done);
        });
      }
      return (connect() as Promise<unknown>).then(
        (client) => (noteDatabaseReachable(), client),
        (error: unknown) => {
          noteDatabaseError(error);
          throw error;
        },
      );
    }) as typeof pool.connect;
    const db = drizzlePg({ client: pool, schema });
    return {
      db,
      kind: "postgres",
      migrate: () => migratePg(db, { migrationsFolder }),
      close: () => pool.end(),
    };
  }
  let release = () => {};
  let dataDir: string | undefined;
  if (target.kind === "pglite") {
    // PGlite creates only the last path segment itself.
    fs.mkdirSync(path.dirname(path.resolve(target.dataDir)), { recursive: true });
    release = lockDataDir(target.dataDir);
    dataDir = path.join(target.dataDir, "pg");
  }
  try {
    if (target.thread === "worker") return await openPgliteInWorker(dataDir, target, release);
    const [{ PGlite }, { btree_gist }, { prepareRepeated }] = await Promise.all([
      import("@electric-sql/pglite"),
      import("@electric-sql/pglite/contrib/btree_gist"),
      import("./pglite-named"),
    ]);
    // PGlite's default shared_buffers (128 MB) is allocated in its WASM heap up front: ~100 MiB
    // of the server's RSS for a station whose whole database is ~25 MB. 32 MB still holds it all.
    const client = await PGlite.create({ dataDir, extensions: { btree_gist }, postgresqlconf: [`shared_buffers=${PGLITE_SHARED_BUFFERS}`] });
    // Opening may have held the event loop (and so the heartbeat) for seconds: renew at once.
    if (target.kind === "pglite") renewDataDirLock(target.dataDir);
    takeTurns(client);
    prepareRepeated(client);
    return await pgliteHandle(client, release);
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * PGlite in a worker thread (`thread: "worker"`, ADR 37): the same database and wrappers
 * (named statements), its CPU off the server's thread; every statement crosses threads. The
 * data-dir lock stays here, in the thread that outlives the worker.
 */
async function openPgliteInWorker(dataDir: string | undefined, target: DatabaseTarget, release: () => void): Promise<DatabaseHandle> {
  const { openPgliteWorker } = await import("./pglite-remote");
  const client = await openPgliteWorker({ dataDir, postgresqlconf: [`shared_buffers=${PGLITE_SHARED_BUFFERS}`] });
  if (target.kind === "pglite") renewDataDirLock(target.dataDir);
  return pgliteHandle(client, release);
}

/** drizzle over a PGlite client, in this thread or a worker's; closing it releases the data-dir lock. */
async function pgliteHandle(client: { close(): Promise<void> }, release: () => void): Promise<DatabaseHandle> {
  const [{ drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import("drizzle-orm/pglite"),
    import("drizzle-orm/pglite/migrator"),
  ]);
  const db = drizzlePglite({ client: client as never, schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    close: async () => {
      await client.close();
      release();
    },
  };
}
