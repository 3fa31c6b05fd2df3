import { performance } from "node:perf_hooks";
import type { PGlite } from "@electric-sql/pglite";

/** How long statements may run back to back before the event loop gets a turn. */
export const TURN_SLICE_MS = 5;

/**
 * PGlite runs in the server's own thread: a statement executes synchronously inside a promise
 * job, and PGlite hands its lock straight to the next statement waiting, so a queue of
 * statements runs back to back in one drain of the microtask queue. In a signup rush that held
 * the event loop for up to a second at a time, and Node runs such a drain after every
 * connection it accepts and every request it reads: 200 connections opened at once were
 * accepted over seconds, and their first requests answered 12 s late (docs/benchmarks.md,
 * ADR 34). Each statement or transaction here first waits for a turn of the event loop
 * (setImmediate), one after the other, so the server accepts and reads between them and a
 * request is served in its turn. Order and atomicity are PGlite's as before: it already ran
 * one statement or transaction at a time.
 */
/**
 * Each wrapped client's queue of turns, for work that goes around `query` (pglite-named.ts). On
 * globalThis: the server entry and the Remix build each load their own copy of models/, and the
 * copy that opened the client is not the one whose routes run statements.
 */
const turnsKey = Symbol.for("hearth.pglite.turns");
const turns = ((globalThis as { [turnsKey]?: WeakMap<PGlite, <T>(work: () => Promise<T>) => Promise<T>> })[turnsKey] ??= new WeakMap());

/** Runs `work` in the client's queue of turns, as its `query` and `transaction` run; at once if it has none. */
export function inTurn<T>(client: PGlite, work: () => Promise<T>): Promise<T> {
  const queue = turns.get(client);
  return queue ? queue(work) : work();
}

export function takeTurns(client: PGlite, sliceMs = TURN_SLICE_MS): void {
  let last: Promise<unknown> = Promise.resolve();
  let turnStarted = performance.now();
  // A turn of the event loop costs a little: take one only when the statements have run
  // for a slice of time since the last, which still bounds the wait of everything else.
  const nextTurn = () => {
    if (performance.now() - turnStarted < sliceMs) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        turnStarted = performance.now();
        resolve();
      }),
    );
  };
  const queue = <T>(work: () => Promise<T>): Promise<T> => {
    const run = last.then(nextTurn).then(work);
    last = run.catch(() => undefined);
    return run;
  };
  turns.set(client, queue);
  const query = client.query.bind(client);
  const transaction = client.transaction.bind(client);
  client.query = ((...args: Parameters<PGlite["query"]>) => queue(() => query(...args))) as PGlite["query"];
  client.transaction = ((callback: Parameters<PGlite["transaction"]>[0]) => queue(() => transaction(callback))) as PGlite["transaction"];
}
