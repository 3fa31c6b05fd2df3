import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import type { Db } from "./db";
import { activities, categories, sessions } from "./db/schema";
import { NotFound, DomainError } from "./errors";
import { recordAudit } from "./audit";

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
  capacity: sql<number>`coalesce(${sessions.capacity}, ${activities.capacity})`.mapWith(Number),
  location: sql<string>`coalesce(${sessions.location}, ${activities.location})`,
  leader: activities.leader,
};

export async function listSessions(
  db: Db,
  query: { stationId: number; from: Date; to: Date; categorySlug?: string; limit?: number },
): Promise<SessionView[]> {
  const filters = [
    eq(sessions.stationId, query.stationId),
    gte(sessions.startsAt, query.from),
    lt(sessions.startsAt, query.to),
  ];
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
    .select({ ...viewColumns, description: activities.description, override: sessions.capacity })
    .from(sessions)
    .innerJoin(activities, eq(activities.id, sessions.activityId))
    .innerJoin(categories, eq(categories.id, activities.categoryId))
    .where(and(eq(sessions.stationId, stationId), eq(sessions.id, id)));
  if (!row) return undefined;
  const { override, ...rest } = row;
  return { ...rest, capacityOverridden: override !== null };
}

export async function requireSession(db: Db, stationId: number, id: number): Promise<SessionDetail> {
  const session = await getSession(db, stationId, id);
  if (!session) throw new NotFound("session");
  return session;
}

export interface SessionChange {
  startsAt: Date;
  endsAt: Date;
  capacity: number | null; // null: back to the activity's capacity
  location: string | null; // null: the activity's location
  status: SessionStatus;
}

/** Edits one occurrence: move it, give it its own capacity or place, cancel or restore it. */
export async function updateSession(
  db: Db,
  ctx: { stationId: number; actorAccountId: number },
  id: number,
  change: SessionChange,
): Promise<void> {
  if (change.endsAt <= change.startsAt) throw new DomainError("ends_before_start", 422);
  await db.transaction(async (tx) => {
    const [current] = await tx
      .select({ startsAt: sessions.startsAt, endsAt: sessions.endsAt, status: sessions.status })
      .from(sessions)
      .where(and(eq(sessions.id, id), eq(sessions.stationId, ctx.stationId)))
      .for("update");
    if (!current) throw new NotFound("session");
    const moved = current.startsAt.getTime() !== change.startsAt.getTime() || current.endsAt.getTime() !== change.endsAt.getTime();
    await tx
      .update(sessions)
      .set({
        startsAt: change.startsAt,
        endsAt: change.endsAt,
        capacity: change.capacity,
        location: change.location,
        status: change.status,
        updatedAt: new Date(),
        // Once moved, always moved: later series edits must not pull it back.
        ...(moved ? { moved: true } : {}),
      })
      .where(eq(sessions.id, id));
    const action =
      change.status !== current.status ? (change.status === "cancelled" ? "session.cancel" : "session.restore") : moved ? "session.move" : "session.update";
    await recordAudit(tx, {
      stationId: ctx.stationId,
      actorAccountId: ctx.actorAccountId,
      action,
      targetType: "session",
      targetId: id,
      details: moved ? { from: current.startsAt.toISOString(), to: change.startsAt.toISOString() } : {},
    });
  });
}
