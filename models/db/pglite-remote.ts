/**
 * The main thread's side of the embedded database in a worker thread (HEARTH_PGLITE_WORKER=1,
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

export async function openPgliteWorker(start: WorkerStart): Promise<RemotePglite> {
  const worker = startWorker(start);
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let broken: unknown;
  const failAll = (error: unknown) => {
    broken ??= error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  const ready = new Promise<void>((resolve) => pending.set(0, { resolve: () => resolve(), reject: () => resolve() }));
  worker.on("message", (message: WorkerReply) => {
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.ok) waiting.resolve(message.result);
    else waiting.reject(rebuildError(message.error));
  });
  worker.on("error", failAll);
  worker.on("exit", (code) => failAll(new Error(`the database worker exited (code ${code})`)));
  await ready;
  if (broken) throw broken;

  const send = <R>(request: Unsent): Promise<R> => {
    if (broken) return Promise.reject(broken);
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
      if (!broken) await send({ op: "close" });
      await worker.terminate();
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
