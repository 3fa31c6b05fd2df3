import type { DbOrTx } from "../../models/db";

/** Runs `work` and counts the statements it sent (PGlite's client and node-postgres' pool both take them through `query`). */
export async function countingStatements<T>(db: DbOrTx, work: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const client = (db as unknown as { $client: { query: (...args: unknown[]) => Promise<unknown> } }).$client;
  const query = client.query;
  let statements = 0;
  client.query = (...args: unknown[]) => (statements++, query.apply(client, args));
  try {
    return { result: await work(), statements };
  } finally {
    client.query = query;
  }
}
