import { getConfig } from "../config";
import { openDatabase, type DatabaseHandle, type DatabaseTarget } from "./client";

export type { Db, Tx, DbOrTx, DatabaseHandle } from "./client";
export { isTransaction, openDatabase } from "./client";
export * as schema from "./schema";

/**
 * One handle per process, kept on globalThis: the server entry (run by tsx) and the Remix
 * server bundle each have their own copy of this module, and both must share one PGlite.
 */
const key = Symbol.for("hearth.db");
type Holder = { [key]?: Promise<DatabaseHandle> };
const holder = globalThis as Holder;

export function targetFromConfig(): DatabaseTarget {
  const config = getConfig();
  return config.DATABASE_URL
    ? {
        kind: "postgres",
        url: config.DATABASE_URL,
        poolSize: config.DATABASE_POOL_SIZE,
        lockTimeoutMs: config.LOCK_TIMEOUT_MS,
        connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
        statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
      }
    : { kind: "pglite", dataDir: config.dataDir, thread: config.PGLITE_THREAD };
}

export function getHandle(): Promise<DatabaseHandle> {
  holder[key] ??= openDatabase(targetFromConfig());
  return holder[key];
}

export async function getDb() {
  return (await getHandle()).db;
}

/** Tests and scripts install their own handle. */
export function setHandle(handle: DatabaseHandle | undefined) {
  if (handle) holder[key] = Promise.resolve(handle);
  else delete holder[key];
}

export async function closeDb() {
  const current = holder[key];
  if (!current) return;
  delete holder[key];
  await (await current).close();
}
