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
const LOST = "08006";
const lost = (why: string) => Object.assign(new Error(`the embedded database's worker stopped: ${why}`), { code: LOST });
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
  /** Which worker this is: a transaction belongs to the one it began on. */
  let generation = 0;
  /** close() was called: a worker that stops now is not started again. */
  let closeRequested = false;
  /** The worker was told to close (or is gone for good): nothing more is sent. */
  let closing = false;

  /** One worker's life: resolves when it is ready, rejects if it stops before that. */
  const spawn = () =>
    new Promise<void>((resolve, reject) => {
      const current = startWorker(start);
      worker = current;
      generation++;
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
        if (closeRequested) return;
        down = error;
        noteDatabaseError(error);
        console.error(`[db] ${error.message}; starting it again`);
        restart(RESTART_DELAY_MS);
      });
    });
  const restart = (delay: number) => {
    const timer = setTimeout(() => {
      if (closeRequested) return;
      spawn().then(
        () => {
          if (closeRequested) return void worker.terminate();
          noteDatabaseReachable();
          console.log("[db] the embedded database's worker is running again");
        },
        (error: Error) => {
          const next = Math.min(delay * 2, RESTART_DELAY_MAX_MS);
          console.error(`[db] the embedded database's worker did not start again (${error.message}); next try in ${next / 1000} s`);
          restart(next);
        },
      );
    }, delay);
    // A process that is otherwise done does not stay up for a restart.
    timer.unref();
  };
  await spawn();

  /** Sends a request; its id (a transaction's, for "begin") and the reply. */
  const post = <R>(request: Unsent): { id: number; reply: Promise<R> } => {
    const id = nextId++;
    if (closing) return { id, reply: Promise.reject(new Error("the embedded database is closed")) };
    if (down) return { id, reply: Promise.reject(restarting()) };
    const reply = new Promise<R>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      try {
        worker.postMessage({ ...request, id } as WorkerRequest);
      } catch (error) {
        // A value that cannot cross threads: nothing was sent, nothing will answer.
        pending.delete(id);
        reject(error);
      }
    });
    return { id, reply };
  };
  const send = <R>(request: Unsent): Promise<R> => post<R>(request).reply;
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
      const { id: begin, reply } = post({ op: "begin" });
      await reply;
      const bornIn = generation;
      let closed = false;
      // The worker it began on stopped, and its transaction with it (rolled back): what the
      // callback sends next must not reach the new worker, which never heard of it.
      const gone = () => (generation === bornIn ? undefined : lost("it stopped during this transaction"));
      const refusal = () => (closed ? new Error("Transaction is closed") : gone());
      const end = async (commit: boolean) => {
        if (closed) return;
        closed = true;
        const stopped = gone();
        if (stopped) throw stopped;
        await send({ op: "end", tx: begin, commit });
      };
      const tx: RemoteTransaction = {
        query: (text, params, options) => {
          const refused = refusal();
          return refused ? Promise.reject(refused) : query(text, params, options, begin);
        },
        exec: (text) => {
          const refused = refusal();
          return refused ? Promise.reject(refused) : send({ op: "exec", text, tx: begin });
        },
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
      closeRequested = true;
      try {
        // Statements of transactions still open are still sent: PGlite's close waits for them.
        if (!down) await send({ op: "close" });
      } catch (error) {
        // The worker stopped while closing: there is nothing left to close, and no restart.
        if ((error as { code?: string }).code !== LOST) throw error;
      }
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
