import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "./db";
import { stations } from "./db/schema";

/** Applies the committed migrations; safe to run on every start (applied ones are skipped). */
export async function migrateDatabase(handle: DatabaseHandle) {
  await handle.migrate();
}

export async function isEmpty(handle: DatabaseHandle): Promise<boolean> {
  const [row] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(stations);
  return (row?.n ?? 0) === 0;
}
