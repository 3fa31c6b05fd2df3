import { createHash } from "node:crypto";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Db } from "./client";

const dialect = new PgDialect();
const names = new Map<string, string>();
const MAX_NAMES = 32;

/**
 * Runs a hot statement as a NAMED prepared statement on PostgreSQL: each pooled connection
 * parses and plans it once, then only binds and executes. drizzle's `execute` sends an unnamed
 * statement, parsed and planned anew on every call, which for the signup's locking statement
 * (five CTEs) was a good part of its cost under a rush. The name carries a hash of the text, so
 * two texts can never share a name. On PGlite it is a plain execute, which PGlite's client
 * prepares from its second call on (pglite-named.ts, ADR 36).
 *
 * Not for use behind a transaction-pooling proxy (PgBouncer in transaction mode), which does
 * not keep a connection's prepared statements; Hearth talks to PostgreSQL directly.
 */
export async function executeNamed<T extends Record<string, unknown>>(db: Db, name: string, query: SQL): Promise<T[]> {
  const client = (db as { $client?: unknown }).$client as
    { totalCount?: number; query: (config: { name: string; text: string; values: unknown[] }) => Promise<{ rows: T[] }> } | undefined;
  // A node-postgres Pool (it counts its connections); PGlite's client has no such field.
  if (!client || typeof client.totalCount !== "number") return (await db.execute(query)).rows as T[];
  const { sql: text, params } = dialect.sqlToQuery(query);
  let statement = names.get(text);
  // A caller whose text varied from call to call would prepare without end: beyond a few, unnamed.
  if (!statement && names.size >= MAX_NAMES) return (await db.execute(query)).rows as T[];
  if (!statement) {
    statement = `${name}_${createHash("sha1").update(text).digest("hex").slice(0, 10)}`;
    names.set(text, statement);
  }
  const result = await client.query({ name: statement, text, values: params });
  return result.rows;
}
