import { parse, protocol, type PGlite, type QueryOptions, type Results } from "@electric-sql/pglite";
import { inTurn } from "./pglite-turns";

type Replies = Parameters<typeof parse.parseResults>[0];

/**
 * Per client: the named statements it has parsed, with their parameters' type OIDs. On
 * globalThis, as the turns (pglite-turns.ts): both copies of models/ must know what is prepared.
 */
const preparedKey = Symbol.for("hearth.pglite.prepared");
const preparedBy = ((globalThis as { [preparedKey]?: WeakMap<PGlite, Map<string, number[]>> })[preparedKey] ??= new WeakMap());

/**
 * A named prepared statement on PGlite (ADR 36). PGlite's `query` sends every statement as an
 * unnamed one, so Postgres parses and plans it on every call; inside WASM the signup's
 * five-CTE statement spent ~4.7 ms of CPU that way against ~0.9 ms to execute it prepared.
 * Here the statement is parsed once per client under `name`; later calls only bind and execute.
 * The result is what `query` would give for the same options (row mode, parsers, serialisers).
 *
 * It speaks PGlite's wire protocol as its own `query` does, under the same two locks in the
 * same order (transactions, then statements): a statement never runs inside another caller's
 * open transaction. Not for use inside a transaction (the caller's transaction holds the lock).
 */
export function queryNamed<T>(client: PGlite, name: string, text: string, params: readonly unknown[], options?: QueryOptions): Promise<Results<T>> {
  return inTurn(client, () =>
    client._runExclusiveTransaction(() =>
      client._runExclusiveQuery(async () => {
        let prepared = preparedBy.get(client);
        if (!prepared) preparedBy.set(client, (prepared = new Map()));
        let types = prepared.get(name);
        if (!types) {
          const parsed = [protocol.serialize.parse({ name, text }), protocol.serialize.describe({ type: "S", name })];
          types = await send(client, parsed, (replies) => parse.parseDescribeStatementResults(replies));
          prepared.set(name, types);
        }
        const values = params.map((value, i) => {
          if (value === null || value === undefined) return null;
          const serializer = options?.serializers?.[types[i]!] ?? client.serializers[types[i]!];
          return serializer ? serializer(value) : String(value);
        });
        const run = [
          protocol.serialize.bind({ statement: name, values }),
          protocol.serialize.describe({ type: "P" }),
          protocol.serialize.execute({}),
        ];
        const result = await send(client, run, (replies) => parse.parseResults(replies, client.parsers, options)[0]!);
        await client.syncToFs();
        return result as Results<T>;
      }),
    ),
  );
}

/** Sends the messages, then Sync whatever happened, so an error leaves the session ready for the next statement. */
async function send<R>(client: PGlite, messages: Uint8Array[], read: (replies: Replies) => R): Promise<R> {
  const replies: Replies = [];
  try {
    for (const message of messages) replies.push(...(await client.execProtocol(message, { syncToFs: false })).messages);
  } finally {
    await client.execProtocol(protocol.serialize.sync(), { syncToFs: false });
  }
  return read(replies);
}

/** How many statements one client keeps prepared; texts past it run unnamed, as before. */
export const PREPARED_LIMIT = 200;
/** How many once-seen texts are remembered while waiting for a second call. */
const SEEN_ONCE_LIMIT = 2000;

/**
 * Every statement `client.query` sees a second time is prepared under a name and from then on
 * only bound and executed (ADR 36): the app's statements are a fixed set of texts, each run
 * on every request that needs it, and planning them was most of a statement's cost in WASM.
 * A text seen once runs unnamed (one-off texts are not kept); past `limit` texts, the rest run
 * unnamed. Statements inside a transaction go through the transaction, not here: unchanged.
 */
export function prepareRepeated(client: PGlite, limit = PREPARED_LIMIT): void {
  const query = client.query.bind(client);
  const names = new Map<string, string>();
  let seenOnce = new Set<string>();
  client.query = (<T>(text: string, params?: unknown[], options?: QueryOptions) => {
    let name = names.get(text);
    if (!name && names.size < limit && !options?.blob) {
      if (seenOnce.delete(text)) names.set(text, (name = `hearth_${names.size + 1}`));
      else {
        if (seenOnce.size >= SEEN_ONCE_LIMIT) seenOnce = new Set();
        seenOnce.add(text);
      }
    }
    return name ? queryNamed<T>(client, name, text, params ?? [], options) : query<T>(text, params, options);
  }) as PGlite["query"];
}
