import crypto from "node:crypto";
import os from "node:os";
import pg from "pg";
import { openDatabase, type DatabaseHandle } from "../../models/db";

/** The PostgreSQL server benchmarks make their own databases on, when one is configured. */
export const benchAdminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;

export interface BenchBackend {
  handle: DatabaseHandle;
  label: string;
  close(): Promise<void>;
}

/**
 * A fresh, empty database for one benchmark: PGlite in memory, or a new PostgreSQL database
 * (named after the benchmark and this process) that is dropped again on close.
 */
export async function openBenchBackend(kind: "pglite" | "postgres", bench: string, poolSize: number): Promise<BenchBackend> {
  if (kind === "pglite") {
    const handle = await openDatabase({ kind: "pglite-memory" });
    return { handle, label: "PGlite (in memory)", close: () => handle.close() };
  }
  if (!benchAdminUrl) throw new Error("no PostgreSQL configured (BENCH_DATABASE_URL, TEST_DATABASE_URL or DATABASE_URL)");
  const name = `hearth_bench_${process.pid}_${bench}_${crypto.randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: benchAdminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const version = (await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? "?";
  await admin.end();
  const url = new URL(benchAdminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: "postgres", url: url.toString(), poolSize });
  return {
    handle,
    label: `PostgreSQL ${version}`,
    close: async () => {
      await handle.close();
      const drop = new pg.Client({ connectionString: benchAdminUrl });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}

/** What a benchmark run on PGlite and (when configured) PostgreSQL found: each backend's results, or why it failed. */
export interface PerBackend<T> {
  when: string;
  /** The machine's 1-minute load average as the part began (2 cores, shared). */
  loadAtStart: number;
  results: T[];
  errors: string[];
}

/** Runs `bench` on PGlite, then on PostgreSQL when one is configured; one backend's failure does not stop the other. */
export async function onEachBackend<T>(bench: (kind: "pglite" | "postgres") => Promise<T>): Promise<PerBackend<T>> {
  const figures: PerBackend<T> = { when: new Date().toISOString(), loadAtStart: os.loadavg()[0] ?? 0, results: [], errors: [] };
  for (const kind of ["pglite", ...(benchAdminUrl ? ["postgres" as const] : [])] as const) {
    try {
      figures.results.push(await bench(kind));
    } catch (error) {
      figures.errors.push(`${kind}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return figures;
}
