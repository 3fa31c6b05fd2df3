import { sql } from "drizzle-orm";
import type { Db, Tx } from "../../models/db";

/**
 * Resolves once some connection to this database waits on a lock, or once `work` has settled
 * (it finished without having to wait). The race tests hold one transaction open and let it
 * commit only when the other side is seen waiting on its rows, so no timing is assumed.
 */
export async function untilWaitingOnLock(db: Db, work?: Promise<unknown>, pollMs = 10): Promise<void> {
  let settled = false;
  work?.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (;;) {
    const waiting = await db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (settled || waiting.rows[0]!.n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/**
 * Runs `work` in a transaction and keeps that transaction open, its locks held, until `release()`.
 * Resolves once `work` is done, so that the other side of a race is sent against held rows.
 */
export async function holdTransaction(db: Db, work: (tx: Tx) => Promise<unknown>) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let worked!: () => void;
  const holding = new Promise<void>((resolve) => (worked = resolve));
  const committed = db.transaction(async (tx) => {
    await work(tx);
    worked();
    await gate;
  });
  // A `work` that throws rejects here, rather than leaving the caller waiting for ever.
  await Promise.race([holding, committed]);
  return { release, committed };
}
