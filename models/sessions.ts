import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import type { Db, Tx } from "./db";
import { activities, categories, sessions } from "./db/schema";
import { CapacityBelowConfirmed, NotFound, DomainError } from "./errors";
import { promoteWaitlist } from "./signups";
import { describeSessionConflict, isCommitmentClash } from "./commitments";
import { recordAudit } from "./audit";
import { notifySessionCancelled, notifySessionChanged } from "./notifications/enqueue";
import { cancelSessionAssignments, retimeSessionAssignments } from "./rosters/assignments";

export type SessionStatus = "scheduled" | "cancelled";

/** What calendar views and the session page show; no internal columns. */
export interface SessionView {
  id: number;
  activityId: number;
  title: string;
  categorySlug: string;
  categoryNameZh: string;
  categoryNameEn: string;
  color: string;
  startsAt: Date;
  endsAt: Date;
  status: SessionStatus;
  moved: boolean;
  capacity: number;
  /** Confirmed people. */
  taken: number;
  location: string;
  leader: string;
}

export interface SessionDetail extends SessionView {
  description: string;
  capacityOverridden: boolean;
}

const viewColumns = {
  id: sessions.id,
  activityId: sessions.activityId,
  title: activities.title,
  categorySlug: categories.slug,
  categoryNameZh: categories.nameZh,
  categoryNameEn: categories.nameEn,
  color: categories.color,
  startsAt: sessions.startsAt,
  endsAt: sessions.endsAt,
  status: sessions.status,
  moved: sessions.moved,
  capacity: sessions.capacity,
  taken: sessions.taken,
  location: sql<string>`coalesce(${sessions.location}, ${activities.location})`,
  leader: activities.leader,
};

export async function listSessions(
  db: Db,
  query: { stationId: number; from: Date; to: Date; categorySlug?: string; limit?: number },
): Promise<SessionView[]> {
  const filters = [eq(sessions.stationId, query.stationId), gte(sessions.startsAt, query.from), lt(sessions.startsAt, query.to)];
  if (query.categorySlug) filters.push(eq(categories.slug, query.categorySlug));
  const base = db
    .select(viewColumns)
    .from(sessions)
    .innerJoin(activities, eq(activities.id, sessions.activityId))
    .innerJoin(categories, eq(categories.id, activities.categoryId))
    .where(and(...filters))
    .orderBy(asc(sessions.startsAt), asc(sessions.id));
  return query.limit ? base.limit(query.limit) : base;
}

export async function getSession(db: Db, stationId: number, id: number): Promise<SessionDetail | undefined> {
  const [row] = await db
    .select({ ...viewColumns, description: activities.description, capacityOverridden: sessions.capacityOverridden })
    .from(sessions)
    .innerJoin(activities, eq(activities.id, sessions.activityId))
    .innerJoin(categories, eq(categories.id, activities.categoryId))
    .where(and(eq(sessions.stationId, stationId), eq(sessions.id, id)));
  return row;
}

export async function requireSession(db: Db, stationId: number, id: number): Promise<SessionDetail> {
  const session = await getSession(db, stationId, id);
  if (!session) throw new NotFound("session");
  return session;
}

/** What to change; a field left out keeps its value (moving only the start keeps the length). */
export interface SessionChange {
  startsAt?: Date;
  endsAt?: Date;
  capacity?: number | null; // null: back to the activity's capacity
  location?: string | null; // null: the activity's location
  status?: SessionStatus;
}

/**
 * Edits one occurrence: move it, give it its own capacity or place, cancel or restore it.
 * Its capacity cannot drop below the people already confirmed; raising it fills places
 * from the waitlist in the same transaction. The people signed up are told of a change of
 * time or place, or of the cancellation, in the same transaction too; their reminders follow.
 */
export async function updateSession(
  db: Db,
  ctx: { stationId: number; actorAccountId: number; now?: Date },
  id: number,
  change: SessionChange,
): Promise<{ promoted: number[] }> {
  const now = ctx.now ?? new Date();
  return db.transaction(async (tx) => {
    // Read under the row lock, so the fields left out are the ones that are there now.
    const [current] = await tx
      .select({
        startsAt: sessions.startsAt,
        endsAt: sessions.endsAt,
        status: sessions.status,
        capacity: sessions.capacity,
        capacityOverridden: sessions.capacityOverridden,
        location: sessions.location,
        activityLocation: activities.location,
        taken: sessions.taken,
        activityCapacity: activities.capacity,
      })
      .from(sessions)
      .innerJoin(activities, eq(activities.id, sessions.activityId))
      .where(and(eq(sessions.id, id), eq(sessions.stationId, ctx.stationId)))
      .for("update", { of: sessions });
    if (!current) throw new NotFound("session");
    const startsAt = change.startsAt ?? current.startsAt;
    const endsAt =
      change.endsAt ?? (change.startsAt ? new Date(startsAt.getTime() + (current.endsAt.getTime() - current.startsAt.getTime())) : current.endsAt);
    if (endsAt <= startsAt) throw new DomainError("ends_before_start", 422);
    const overridden = change.capacity === undefined ? current.capacityOverridden : change.capacity !== null;
    const capacity = change.capacity === undefined ? current.capacity : (change.capacity ?? current.activityCapacity);
    const status = change.status ?? current.status;
    if (capacity < current.taken) throw new CapacityBelowConfirmed(current.taken);
    const moved = current.startsAt.getTime() !== startsAt.getTime() || current.endsAt.getTime() !== endsAt.getTime();
    const location = change.location === undefined ? current.location : change.location;
    // Subscribed calendars only take a changed event when its SEQUENCE rises.
    const visible = moved || location !== current.location || status !== current.status;
    // A savepoint: when the ledger refuses the new time (one of its people is elsewhere then),
    // the transaction can still read who and what, and the move is refused naming them.
    const update = (sp: Tx) =>
      sp
        .update(sessions)
        .set({
          startsAt,
          endsAt,
          capacity,
          capacityOverridden: overridden,
          location,
          status,
          updatedAt: new Date(),
          ...(visible ? { sequence: sql`${sessions.sequence} + 1` } : {}),
          // Once moved, always moved: later series edits must not pull it back.
          ...(moved ? { moved: true } : {}),
        })
        .where(eq(sessions.id, id))
        .returning({ sequence: sessions.sequence });
    let updated: { sequence: number } | undefined;
    try {
      [updated] = await tx.transaction(update);
    } catch (error) {
      if (isCommitmentClash(error)) throw await describeSessionConflict(tx, id, startsAt, endsAt);
      throw error;
    }
    if (visible) await notifyOfChange(tx, id, updated!.sequence, current, { status, moved }, now);
    const action =
      status !== current.status ? (status === "cancelled" ? "session.cancel" : "session.restore") : moved ? "session.move" : "session.update";
    await recordAudit(tx, {
      stationId: ctx.stationId,
      actorAccountId: ctx.actorAccountId,
      action,
      targetType: "session",
      targetId: id,
      details: moved ? { from: current.startsAt.toISOString(), to: startsAt.toISOString() } : capacity !== current.capacity ? { capacity } : {},
    });
    const promoted =
      capacity > current.capacity && status === "scheduled" ? await promoteWaitlist(tx, ctx.stationId, id, now, ctx.actorAccountId) : [];
    return { promoted };
  });
}

/**
 * Mail for a visible change: a cancellation is told as such (and silences the reminders, and
 * stands down the rostered helpers); a session moved, given another place or restored tells
 * its people where and when it was before, and their reminders and shifts follow. Signups are not touched: a cancelled session
 * keeps them, so restoring it brings its people back.
 */
async function notifyOfChange(
  tx: Tx,
  sessionId: number,
  sequence: number,
  before: { startsAt: Date; endsAt: Date; status: SessionStatus; location: string | null; activityLocation: string },
  after: { status: SessionStatus; moved: boolean },
  now: Date,
) {
  if (after.status === "cancelled") {
    if (before.status !== "cancelled") {
      await notifySessionCancelled(tx, [sessionId], now);
      // Its helpers are stood down and told, like the people signed up.
      await cancelSessionAssignments(tx, sessionId, now);
    }
    return;
  }
  // Shifts follow the session (each told of its new time); one that would collide is cancelled.
  if (after.moved) await retimeSessionAssignments(tx, sessionId, now);
  const previous = { startsAt: before.startsAt, endsAt: before.endsAt, location: before.location ?? before.activityLocation };
  // Restored: those told of the cancellation hear that it is on after all, and get their reminders back.
  await notifySessionChanged(tx, { sessionId, sequence, previous, restored: before.status === "cancelled" }, now);
}
