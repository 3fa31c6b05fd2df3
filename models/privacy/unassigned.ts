import { sql } from "drizzle-orm";
import type { DbOrTx } from "../db";
import { enqueue } from "../notifications/enqueue";

/**
 * Households left without a caretaker by an erasure (ADR 23, addendum): the coordinators are
 * told by mail, and the staff home page shows them until each has a caretaker again. Nothing
 * about the erased person is said: the mail and the notice carry a count and a link only.
 */

// A week: after that the home page's notice still says it, and a late mail adds nothing.
const NOTICE_DAYS = 7;

/**
 * One mail per coordinator of the station (the admins when it has none), written in the erasure's
 * transaction. `erasedPersonId` keys it (an id, not a name), so a retried erasure writes it once;
 * the erased person is never among the recipients, even if they were a coordinator.
 */
export async function tellCoordinators(tx: DbOrTx, stationId: number, erasedPersonId: number, households: number, now: Date): Promise<number> {
  if (households === 0) return 0;
  const result = await tx.execute<{ person_id: number; role: string }>(sql`
    SELECT DISTINCT a.person_id, r.role FROM station_roles r JOIN accounts a ON a.id = r.account_id
    WHERE r.station_id = ${stationId} AND r.role IN ('coordinator', 'admin') AND a.closed_at IS NULL
      AND a.person_id IS NOT NULL AND a.person_id <> ${erasedPersonId}`);
  const coordinators = result.rows.filter((r) => r.role === "coordinator");
  const to = [...new Set((coordinators.length ? coordinators : result.rows).map((r) => Number(r.person_id)))];
  const ids = await enqueue(
    tx,
    to.map((personId) => ({
      stationId,
      kind: "households_unassigned" as const,
      dedupeKey: `households_unassigned:${erasedPersonId}:${personId}`,
      personId,
      payload: { households },
      dueAt: now,
      expiresAt: new Date(now.getTime() + NOTICE_DAYS * 86_400_000),
    })),
  );
  return ids.length;
}

/**
 * How many of the station's households lost their caretaker to an erasure and have none yet:
 * those whose newest caretaker change in the audit log is an erasure's.
 */
export async function householdsLeftByErasure(db: DbOrTx, stationId: number): Promise<number> {
  const result = await db.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM households h
    WHERE h.station_id = ${stationId} AND h.caretaker_id IS NULL
      AND (SELECT a.details->>'cause' FROM audit_log a
           WHERE a.station_id = ${stationId} AND a.target_type = 'household' AND a.target_id = h.id AND a.action = 'household.caretaker'
           ORDER BY a.id DESC LIMIT 1) = 'person_erased'`);
  return Number(result.rows[0]?.n ?? 0);
}
