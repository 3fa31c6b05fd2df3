/**
 * The main thread's side of the embedded database in a worker thread (PGLITE_THREAD=worker,
 * ADR 37; the worker is pglite-worker.ts). `openPgliteWorker` gives an object with what
 * drizzle-orm/pglite and namedStatement call on a PGlite client: `query`, `exec`, and
 * `transaction` with a `tx.query` / `tx.exec` / `tx.rollback`, each a message to the worker.
 *
 * Functions cannot cross threads. drizzle passes `parsers` that keep dates, timestamps and
 * intervals as PostgreSQL's text: the worker is told those types and leaves them as text, and
 * the caller's parsers run here on the values that come back, whatever they do.
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { QueryOptions, Results } from "@electric-sql/pglite";
import { noteDatabaseError, noteDatabaseReachable } from "./availability";

export interface WorkerStart {
  dataDir?: string;
  postgresqlconf: string[];
}
export type WorkerRequest =
  | { id: number; op: "query"; text: string; params?: unknown[]; rowMode?: "array" | "object"; textTypes?: number[]; tx?: number }
  | { id: number; op: "exec"; text: string; tx?: number }
  | { id: number; op: "begin" }
  | { id: number; op: "end"; tx: number; commit: boolean }
  | { id: number; op: "close" };
type Unsent = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, "id"> : never) : never;
export type WorkerReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: Record<string, unknown> };

type Pending = { resolve: (value: unknown) => void; reject: (error: unknown) => void };

export interface RemoteTransaction {
  query<T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(text: string): Promise<Results[]>;
  rollback(): Promise<void>;
  readonly closed: boolean;
}
export interface RemotePglite {
  query<T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(text: string): Promise<Results[]>;
  transaction<T>(callback: (tx: RemoteTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** The thread PGlite runs in now (a new one after a restart): for the fault tests, which stop it. */
  readonly worker: Worker;
}

/** The worker's entry: beside the bundle (build/hearth/pglite-worker.mjs), else the TypeScript source through tsx (tests, `npm run dev`). */
function startWorker(start: WorkerStart): Worker {
  const bundled = new URL("./pglite-worker.mjs", import.meta.url);
  if (bundled.protocol === "file:" && fs.existsSync(bundled)) return new Worker(bundled, { workerData: start });
  const source = new URL("./pglite-worker.ts", import.meta.url).href;
  const tsx = pathToFileURL(path.join(path.dirname(createRequire(import.meta.url).resolve("tsx/esm/api")), "index.mjs")).href;
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(boot, { eval: true, workerData: start });
}

/** A statement that was under way when the worker stopped: the connection to it is lost (08006). */
const lost = (why: string) => Object.assign(new Error(`the embedded database's worker stopped: ${why}`), { code: "08006" });
/** A statement sent while the worker starts again: the database is starting up (57P03). */
const restarting = () => Object.assign(new Error("the embedded database is starting again"), { code: "57P03" });
const RESTART_DELAY_MS = 500;
const RESTART_DELAY_MAX_MS = 30_000;

/**
 * Starts the worker and gives the client drizzle calls. A worker that stops of its own accord
 * (an uncaught error, a WebAssembly abort, out of memory) fails the statements under way with
 * 08006 and those that arrive while it is away with 57P03, both "unavailable" (a 503 with
 * Retry-After, models/db/errors.ts), and is started again on the same data folder, whose lock
 * this thread keeps holding. PostgreSQL's own recovery replays what was written before the stop.
 */
export async function openPgliteWorker(start: WorkerStart): Promise<RemotePglite> {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let worker: Worker;
  let down: Error | undefined;
  let closing = false;

  /** One worker's life: resolves when it is ready, rejects if it stops before that. */
  const spawn = () =>
    new Promise<void>((resolve, reject) => {
      const current = startWorker(start);
      worker = current;
      let ready = false;
      let failure = "";
      current.on("message", (message: WorkerReply) => {
        if (message.id === 0) {
          ready = true;
          down = undefined;
          return resolve();
        }
        const waiting = pending.get(message.id);
        if (!waiting) return;
        pending.delete(message.id);
        if (message.ok) waiting.resolve(message.result);
        else waiting.reject(rebuildError(message.error));
      });
      current.on("error", (error) => (failure = error.message));
      current.on("exit", (code) => {
        const error = lost(failure || `exit code ${code}`);
        for (const { reject: fail } of pending.values()) fail(error);
        pending.clear();
        if (!ready) return reject(error);
        if (closing) return;
        down = error;
        noteDatabaseError(error);
        console.error(`[db] ${error.message}; starting it again`);
        restart(RESTART_DELAY_MS);
      });
    });
  const restart = (delay: number) => {
    setTimeout(() => {
      if (closing) return;
      spawn().then(
        () => {
          if (closing) return void worker.terminate();
          noteDatabaseReachable();
          console.log("[db] the embedded database's worker is running again");
        },
        (error: Error) => {
          console.error(`[db] the embedded database's worker did not start again (${error.message}); next try in ${(delay * 2) / 1000} s`);
          restart(Math.min(delay * 2, RESTART_DELAY_MAX_MS));
        },
      );
    }, delay);
  };
  await spawn();

  const send = <R>(request: Unsent): Promise<R> => {
    if (closing) return Promise.reject(new Error("the embedded database is closed"));
    if (down) return Promise.reject(restarting());
    const id = nextId++;
    return new Promise<R>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id } as WorkerRequest);
    });
  };
  const query = async <T>(text: string, params: unknown[] | undefined, options: QueryOptions | undefined, tx?: number) => {
    if (options?.blob || options?.serializers || options?.paramTypes) throw new Error("the database worker takes rowMode and parsers only");
    const parsers = options?.parsers;
    const textTypes = parsers ? Object.keys(parsers).map(Number) : undefined;
    const result = await send<Results<T>>({ op: "query", text, params, rowMode: options?.rowMode, textTypes, tx });
    if (parsers && textTypes!.length) applyParsers(result, parsers, options?.rowMode === "array");
    return result;
  };

  return {
    query: (text, params, options) => query(text, params, options),
    exec: (text) => send({ op: "exec", text }),
    async transaction<T>(callback: (tx: RemoteTransaction) => Promise<T>): Promise<T> {
      const begin = nextId;
      await send({ op: "begin" });
      let closed = false;
      const end = async (commit: boolean) => {
        if (closed) return;
        closed = true;
        await send({ op: "end", tx: begin, commit });
      };
      const tx: RemoteTransaction = {
        query: (text, params, options) => (closed ? Promise.reject(new Error("Transaction is closed")) : query(text, params, options, begin)),
        exec: (text) => (closed ? Promise.reject(new Error("Transaction is closed")) : send({ op: "exec", text, tx: begin })),
        rollback: () => end(false),
        get closed() {
          return closed;
        },
      };
      let result: T;
      try {
        result = await callback(tx);
      } catch (error) {
        await end(false).catch(() => undefined);
        throw error;
      }
      await end(true);
      return result;
    },
    async close() {
      if (!down) await send({ op: "close" });
      closing = true;
      await worker.terminate();
    },
    get worker() {
      return worker;
    },
  };
}

/** The caller's parsers, on the values the worker left as text (never on NULL, as PGlite). */
function applyParsers(result: Results<unknown>, parsers: NonNullable<QueryOptions["parsers"]>, arrays: boolean) {
  const columns = result.fields.flatMap((field, index) => {
    const parser = parsers[field.dataTypeID];
    return parser ? [{ key: arrays ? index : field.name, parser }] : [];
  });
  if (!columns.length) return;
  for (const row of result.rows as Record<string | number, unknown>[]) {
    for (const { key, parser } of columns) {
      const value = row[key];
      if (value !== null && value !== undefined) row[key] = parser(value as string);
    }
  }
}

/** An error from the worker, with PostgreSQL's fields (code, constraint …) where drizzle and models/db/errors.ts look for them. */
function rebuildError(fields: Record<string, unknown>): Error {
  return Object.assign(new Error(String(fields.message)), fields);
}
