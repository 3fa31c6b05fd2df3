import { createHash } from "node:crypto";
import { fillPlaceholders, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { isTransaction, type Db } from "./client";

const dialect = new PgDialect();

/** What a statement's builder writes where a value goes: the value itself, or a placeholder for it. */
export type Slots<V> = { readonly [K in keyof V]: SQLWrapper };

/** Each value in its slot, for a condition shared by a named statement and a plain query. */
export const valueSlots = <V extends Record<string, unknown>>(values: V): Slots<V> =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [key, sql`${value}`])) as unknown as Slots<V>;

/**
 * A hot statement, run as a NAMED prepared statement: each pooled connection (PostgreSQL)
 * parses and plans it once, then only binds and executes; on PGlite the client names every
 * text it sees twice (prepareRepeated, pglite-named.ts), and this hands it the same text each
 * time. drizzle's `execute` sends an unnamed statement, parsed and planned anew on
 * every call, which for the signup's locking statement (five CTEs) was a good part of its cost
 * under a rush. Its text is also built only once, with placeholders where the values go:
 * building the SQL of five CTEs through drizzle on every call cost the server ~0.5 ms of CPU
 * per signup in the rush. The name carries a hash of the text, so two texts can never share a name.
 *
 * `build` must give the same text whatever it is handed (values go only into the slots). Inside
 * a transaction, where there is no pool to prepare on, the statement is built with the values
 * and run as a plain execute.
 *
 * Not for use behind a transaction-pooling proxy (PgBouncer in transaction mode), which does
 * not keep a connection's prepared statements; Hearth talks to PostgreSQL directly.
 */
export function namedStatement<V extends Record<string, unknown>, T extends Record<string, unknown>>(
  name: string,
  build: (slots: Slots<V>) => SQL,
): (db: Db, values: V) => Promise<T[]> {
  let compiled: { name: string; text: string; params: unknown[] } | undefined;
  return async (db, values) => {
    type Pool = { totalCount: number; query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: T[] }> };
    type Pglite = { query(text: string, params: unknown[]): Promise<{ rows: T[] }> };
    const client = isTransaction(db) ? undefined : (db as { $client?: Pool | Pglite }).$client;
    if (!client) return (await db.execute(build(valueSlots(values)))).rows as T[];
    if (!compiled) {
      const placeholders = new Proxy({}, { get: (_, key) => sql.placeholder(String(key)) }) as Slots<V>;
      const { sql: text, params } = dialect.sqlToQuery(build(placeholders));
      compiled = { name: `${name}_${createHash("sha1").update(text).digest("hex").slice(0, 10)}`, text, params };
    }
    const params = fillPlaceholders(compiled.params, values);
    // A node-postgres Pool counts its connections; PGlite's client takes the text and values.
    if ("totalCount" in client) return (await client.query({ name: compiled.name, text: compiled.text, values: params })).rows;
    return (await client.query(compiled.text, params)).rows;
  };
}
