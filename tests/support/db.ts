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

/** A fresh, migrated PostgreSQL database for one test file; dropped again on close. */
async function openPostgres(options: { poolSize?: number; lockTimeoutMs?: number } = {}): Promise<DatabaseHandle> {
  const name = `hearth_t_${process.pid}_${crypto.randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl!);
  url.pathname = `/${name}`;
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
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
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
