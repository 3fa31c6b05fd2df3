/**
 * The embedded database in a worker thread (PGLITE_THREAD=worker, the server's default; ADR 37): this file runs in
 * the worker. It opens PGlite as models/db/client.ts would in the server's thread and answers
 * the main thread's requests (pglite-remote.ts) one message at a time.
 *
 * No turns here (ADR 34): they exist so that statements run back to back do not hold the
 * server's event loop. This thread's loop only receives requests, and PGlite runs one statement
 * or transaction at a time whatever the order they arrive in, so a turn would only add latency.
 * Named statements (ADR 36) stay: planning is still the cost, wherever PGlite runs.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PGlite, type QueryOptions, type Transaction } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { prepareRepeated } from "./pglite-named";
import type { WorkerReply, WorkerRequest, WorkerStart } from "./pglite-remote";

const port = parentPort!;
const start = workerData as WorkerStart;

/** The caller's parsers cannot cross threads: its types come back as PostgreSQL's text, and the main thread applies its own. */
const asText = (value: string) => value;
const textParsers = new Map<string, Record<number, (value: string) => string>>();
function optionsFor(rowMode: "array" | "object" | undefined, textTypes: number[] | undefined): QueryOptions | undefined {
  if (!rowMode && !textTypes?.length) return undefined;
  const key = textTypes?.join(",") ?? "";
  let parsers = textParsers.get(key);
  if (!parsers) textParsers.set(key, (parsers = Object.fromEntries((textTypes ?? []).map((type) => [type, asText]))));
  return { rowMode, parsers };
}

const reply = (message: WorkerReply) => {
  try {
    port.postMessage(message);
  } catch (error) {
    // A result that cannot be cloned fails its own request, not the worker.
    port.postMessage({ id: message.id, ok: false, error: { message: `the database worker could not send its answer: ${String(error)}` } });
  }
};
const fail = (id: number, error: unknown) => reply({ id, ok: false, error: plainError(error) });

/**
 * A PostgreSQL error's fields (code, constraint, detail …) survive the crossing as plain
 * properties. Only strings and numbers: PGlite's error also carries the query's options, whose
 * parsers are functions and cannot be cloned.
 */
function plainError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields = Object.entries(error).filter(([key, value]) => key !== "params" && (typeof value === "string" || typeof value === "number"));
  return { ...Object.fromEntries(fields), message: error.message, name: error.name };
}

/** Open transactions by the id of the request that began them; each ends when the main thread says how. */
const open = new Map<number, { tx: Transaction; end: (how: { id: number; commit: boolean }) => void }>();
class RolledBack extends Error {}

const client = await PGlite.create({ dataDir: start.dataDir, extensions: { btree_gist }, postgresqlconf: start.postgresqlconf });
prepareRepeated(client);

port.on("message", (request: WorkerRequest) => {
  switch (request.op) {
    case "query": {
      const options = optionsFor(request.rowMode, request.textTypes);
      const target = request.tx === undefined ? client : open.get(request.tx)?.tx;
      if (!target) return fail(request.id, new Error("Transaction is closed"));
      target.query(request.text, request.params, options).then(
        (result) => reply({ id: request.id, ok: true, result }),
        (error: unknown) => fail(request.id, error),
      );
      return;
    }
    case "exec": {
      const target = request.tx === undefined ? client : open.get(request.tx)?.tx;
      if (!target) return fail(request.id, new Error("Transaction is closed"));
      target.exec(request.text).then(
        (result) => reply({ id: request.id, ok: true, result }),
        (error: unknown) => fail(request.id, error),
      );
      return;
    }
    case "begin": {
      let ended: { id: number; commit: boolean } | undefined;
      // PGlite commits when the callback returns and rolls back when it throws: the callback
      // waits here, holding PGlite's transaction lock, until the main thread is done.
      client
        .transaction(async (tx) => {
          const how = await new Promise<{ id: number; commit: boolean }>((end) => {
            open.set(request.id, { tx, end });
            reply({ id: request.id, ok: true, result: null });
          });
          ended = how;
          if (!how.commit) throw new RolledBack();
        })
        .then(
          () => reply({ id: ended!.id, ok: true, result: null }),
          (error: unknown) => {
            if (error instanceof RolledBack) reply({ id: ended!.id, ok: true, result: null });
            else fail(ended?.id ?? request.id, error);
          },
        )
        .finally(() => open.delete(request.id));
      return;
    }
    case "end": {
      const transaction = open.get(request.tx);
      if (!transaction) return fail(request.id, new Error("Transaction is closed"));
      open.delete(request.tx);
      transaction.end({ id: request.id, commit: request.commit });
      return;
    }
    case "close": {
      client.close().then(
        () => reply({ id: request.id, ok: true, result: null }),
        (error: unknown) => fail(request.id, error),
      );
      return;
    }
  }
});
reply({ id: 0, ok: true, result: null });
