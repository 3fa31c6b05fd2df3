import crypto from "node:crypto";
import pg from "pg";
import { openDatabase, setHandle, type DatabaseHandle } from "../../models/db";

export interface Backend {
  name: "pglite" | "postgres";
  open(options?: { poolSize?: number; lockTimeoutMs?: number }): Promise<DatabaseHandle>;
}

const adminUrl = process.env.TEST_DATABASE_URL;
if (process.env.CI === "true" && !adminUrl) {
  // In CI a missing PostgreSQL must fail the run, not quietly drop half the suite.
  throw new Error("CI=true but TEST_DATABASE_URL is not set: the PostgreSQL half of the suite cannot run.");
}

/** A new, empty database on the server of `serverUrl` (named with `prefix` and this process), and how to drop it. */
export async function createDatabase(serverUrl: string, prefix: string): Promise<{ url: URL; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${crypto.randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const drop = async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  };
  return { url, drop };
}

/** A fresh, migrated PostgreSQL database for one test file; dropped again on close. */
async function openPostgres(options: { poolSize?: number; lockTimeoutMs?: number } = {}): Promise<DatabaseHandle> {
  const { url, drop } = await createDatabase(adminUrl!, "hearth_t");
  const handle = await openDatabase({
    kind: "postgres",
    url: url.toString(),
    poolSize: options.poolSize ?? 20,
    lockTimeoutMs: options.lockTimeoutMs,
  });
  await handle.migrate();
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await drop();
    },
  };
}

async function openPglite(): Promise<DatabaseHandle> {
  const handle = await openDatabase({ kind: "pglite-memory" });
  await handle.migrate();
  return handle;
}

export const backends: Backend[] = [{ name: "pglite", open: openPglite }, ...(adminUrl ? [{ name: "postgres" as const, open: openPostgres }] : [])];

/**
 * Opens one database per backend for a describe block and installs it as the process's
 * handle, so route modules (which call getDb()) use it too.
 */
export function useBackend(
  backend: Backend,
  hooks: { beforeAll: (fn: () => Promise<void>) => void; afterAll: (fn: () => Promise<void>) => void },
  options: { poolSize?: number; lockTimeoutMs?: number } = {},
) {
  const ref: { handle?: DatabaseHandle } = {};
  hooks.beforeAll(async () => {
    ref.handle = await backend.open(options);
    setHandle(ref.handle);
  });
  hooks.afterAll(async () => {
    setHandle(undefined);
    await ref.handle?.close();
  });
  return {
    get handle() {
      if (!ref.handle) throw new Error("database not open yet");
      return ref.handle;
    },
    get db() {
      return this.handle.db;
    },
  };
}
