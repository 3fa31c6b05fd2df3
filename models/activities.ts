import { and, asc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db, Tx } from "./db";
import { activities, assignments, categories, sessions, signups } from "./db/schema";
import { CapacityBelowConfirmed, NotFound, InvalidSeries } from "./errors";
import { lockSession, promoteWaitlist } from "./signups";
import { describeSessionConflict, isCommitmentClash } from "./commitments";
import { recordAudit } from "./audit";
import { addMissingReminders, notifySessionCancelled, notifySessionChanged, retimeReminders } from "./notifications/enqueue";
import { isValidReminderMinutes } from "./notifications/timing";
import { cancelSessionAssignments, retimeSessionAssignments } from "./rosters/assignments";
import { expandSeries, formatRRule, parseRRule, validateRule, type Occurrence, type RecurrenceRule, type SeriesSpec } from "./recurrence";

export interface ActivityInput {
  categoryId: number;
  title: string;
  description: string;
  location: string;
  leader: string;
  capacity: number;
  durationMinutes: number;
  startDate: string; // local YYYY-MM-DD
  startTime: string; // local HH:mm
  rule: RecurrenceRule | null;
  exdates: string[];
  // Signup rules; left out, the database's defaults apply (and an edit keeps what is there).
  maxPartySize?: number;
  signupOpensDays?: number;
  signupClosesMinutes?: number;
  cancelDeadlineMinutes?: number;
  // Mail: the reminder this many minutes before the start (0 = none, at most a week), and
  // the one on the morning of the day.
  reminderMinutes?: number;
  remindDayOf?: boolean;
}

export interface ActivityContext {
  stationId: number;
  timeZone: string;
  actorAccountId: number | null;
  horizonDays: number;
  now?: Date;
}

export type Activity = Required<ActivityInput> & { id: number; categorySlug: string };

type ActivityRow = typeof activities.$inferSelect;

function specOf(row: Pick<ActivityRow, "rrule" | "startDate" | "startTime" | "durationMinutes" | "exdates">, timeZone: string): SeriesSpec {
  return {
    rule: row.rrule ? parseRRule(row.rrule, timeZone) : null,
    startDate: row.startDate,
    startTime: row.startTime,
    durationMinutes: row.durationMinutes,
    timeZone,
    exdates: row.exdates,
  };
}

export function seriesSpec(input: ActivityInput, timeZone: string): SeriesSpec {
  return {
    rule: input.rule,
    startDate: input.startDate,
    startTime: input.startTime,
    durationMinutes: input.durationMinutes,
    timeZone,
    exdates: input.exdates,
  };
}

function assertValid(input: ActivityInput) {
  const problems = input.rule ? validateRule(input.rule, input.startDate) : DateTime.fromISO(input.startDate).isValid ? [] : ["start_date"];
  if (input.reminderMinutes !== undefined && !isValidReminderMinutes(input.reminderMinutes)) problems.push("reminder_minutes");
  if (problems.length) throw new InvalidSeries(problems);
}

/** The activity's columns from the editor's input (the rule is stored as RRULE text). */
function columnsOf(input: ActivityInput, timeZone: string) {
  const { rule, ...plain } = input;
  return { ...plain, rrule: rule ? formatRRule(rule, timeZone) : null };
}

async function requireCategoryInStation(tx: Tx, stationId: number, categoryId: number) {
  const [category] = await tx
    .select({ id: categories.id })
    .from(categories)
    .where(and(eq(categories.id, categoryId), eq(categories.stationId, stationId)));
  if (!category) throw new NotFound("category");
}

// The series is expanded from the start of today in the station's zone (so COUNT and
// exception dates line up with the editor's preview), but only sessions that have not yet
// started become rows: nothing is back-filled into the past.
function materialiseWindow(ctx: ActivityContext) {
  const now = ctx.now ?? new Date();
  const from = DateTime.fromJSDate(now, { zone: ctx.timeZone }).startOf("day").toJSDate();
  const to = new Date(now.getTime() + ctx.horizonDays * 24 * 3600_000);
  return { now, from, to };
}

/**
 * Brings an activity's future sessions in line with its series. Sessions that already
 * started are history and stay as they are; a session a coordinator moved keeps its time,
 * one given its own capacity keeps that. Future sessions the series no longer produces are
 * removed — or, when people are signed up, kept and cancelled so they can be told.
 */
async function syncSessions(
  tx: Tx,
  // `location` is the activity's place before this edit: what a moved session's mail says it was;
  // `newLocation` the one it has now.
  activity: { id: number; stationId: number; capacity: number; location: string; newLocation: string },
  occurrences: Occurrence[],
  now: Date,
  to: Date,
  actorAccountId: number | null,
) {
  const { id: activityId, stationId } = activity;
  const existing = await tx
    .select({
      id: sessions.id,
      key: sessions.occurrenceKey,
      startsAt: sessions.startsAt,
      endsAt: sessions.endsAt,
      moved: sessions.moved,
      location: sessions.location,
      status: sessions.status,
    })
    .from(sessions)
    .where(and(eq(sessions.activityId, activityId), gte(sessions.startsAt, now)));
  const byKey = new Map(existing.map((s) => [s.key, s]));
  const wanted = new Set<string>();
  // Sessions whose people were already told of this edit (moved by it): one mail covers the place too.
  const told = new Set<number>();
  const toInsert: (typeof sessions.$inferInsert)[] = [];
  for (const occurrence of occurrences) {
    if (occurrence.startsAt < now) continue;
    wanted.add(occurrence.key);
    const current = byKey.get(occurrence.key);
    if (!current) {
      toInsert.push({
        stationId,
        activityId,
        occurrenceKey: occurrence.key,
        startsAt: occurrence.startsAt,
        endsAt: occurrence.endsAt,
        capacity: activity.capacity,
      });
    } else if (
      !current.moved &&
      (current.startsAt.getTime() !== occurrence.startsAt.getTime() || current.endsAt.getTime() !== occurrence.endsAt.getTime())
    ) {
      // In a savepoint, as for one session moved: a person who is elsewhere at the new time
      // refuses the whole edit, named (docs/decisions/0015-commitments-ledger.md).
      const [updated] = await tx
        .transaction((sp) =>
          sp
            .update(sessions)
            .set({ startsAt: occurrence.startsAt, endsAt: occurrence.endsAt, sequence: sql`${sessions.sequence} + 1`, updatedAt: new Date() })
            .where(eq(sessions.id, current.id))
            .returning({ sequence: sessions.sequence }),
        )
        .catch(async (error: unknown) => {
          if (isCommitmentClash(error)) throw await describeSessionConflict(tx, current.id, occurrence.startsAt, occurrence.endsAt);
          throw error;
        });
      told.add(current.id);
      // The same mail and re-timed reminders as a coordinator moving the one session.
      if (current.status === "scheduled") {
        const previous = { startsAt: current.startsAt, endsAt: current.endsAt, location: current.location ?? activity.location };
        await notifySessionChanged(tx, { sessionId: current.id, sequence: updated!.sequence, previous }, now);
        await retimeSessionAssignments(tx, current.id, now);
      } else {
        await retimeReminders(tx, { sessionIds: [current.id] }, now);
      }
    }
  }
  const stale = existing.filter((s) => !wanted.has(s.key) && !s.moved).map((s) => s.id);
  if (stale.length) {
    // Any signup or shift, even a cancelled one, keeps its session: those rows (and their mail)
    // refer to it, so deleting it would break them. Only the active ones are told.
    const booked = await tx.selectDistinct({ id: signups.sessionId }).from(signups).where(inArray(signups.sessionId, stale));
    const staffed = await tx.selectDistinct({ id: assignments.sessionId }).from(assignments).where(inArray(assignments.sessionId, stale));
    const keep = new Set([...booked, ...staffed].map((b) => b.id));
    const cancel = stale.filter((id) => keep.has(id));
    const remove = stale.filter((id) => !keep.has(id));
    if (cancel.length) {
      const cancelled = await tx
        .update(sessions)
        .set({ status: "cancelled", sequence: sql`${sessions.sequence} + 1`, updatedAt: new Date() })
        .where(and(inArray(sessions.id, cancel), eq(sessions.status, "scheduled")))
        .returning({ id: sessions.id });
      await notifySessionCancelled(
        tx,
        cancelled.map((c) => c.id),
        now,
      );
      for (const { id } of cancelled) await cancelSessionAssignments(tx, id, now);
    }
    if (remove.length) await tx.delete(sessions).where(inArray(sessions.id, remove));
  }
  if (activity.newLocation !== activity.location) {
    const staleIds = new Set(stale);
    const relocated = existing.filter((s) => s.status === "scheduled" && s.location === null && !told.has(s.id) && !staleIds.has(s.id));
    await relocateSessions(tx, relocated, activity.location, now);
  }
  // A key can exist in the past part of the series (today's session already started): skip it.
  if (toInsert.length) await tx.insert(sessions).values(toInsert).onConflictDoNothing();
  await applyCapacity(tx, activity, now, actorAccountId);
  await tx.update(activities).set({ materializedUntil: to }).where(eq(activities.id, activityId));
}

/**
 * The activity's place changed and these sessions (future, scheduled, without a place of their
 * own) show it: subscribed calendars take the new place only when SEQUENCE rises, and their
 * people are told where it was before, as when a coordinator moves one session.
 */
async function relocateSessions(tx: Tx, moved: { id: number; startsAt: Date; endsAt: Date }[], previousLocation: string, now: Date) {
  if (!moved.length) return;
  const bumped = await tx
    .update(sessions)
    .set({ sequence: sql`${sessions.sequence} + 1`, updatedAt: new Date() })
    .where(
      inArray(
        sessions.id,
        moved.map((s) => s.id),
      ),
    )
    .returning({ id: sessions.id, sequence: sessions.sequence });
  const sequenceOf = new Map(bumped.map((b) => [b.id, b.sequence]));
  for (const s of moved) {
    const previous = { startsAt: s.startsAt, endsAt: s.endsAt, location: previousLocation };
    await notifySessionChanged(tx, { sessionId: s.id, sequence: sequenceOf.get(s.id)!, previous }, now);
  }
}

/**
 * The activity's capacity reaches every future scheduled session without its own. Lowering it
 * below the people already confirmed somewhere is refused (the CHECK on sessions says so);
 * raising it fills places from the waitlists. A cancelled session keeps its capacity: its
 * waitlist cannot be promoted now, and a place raised there would, once the session is
 * restored, be free for a newcomer while the people already waiting stay waiting.
 */
async function applyCapacity(tx: Tx, activity: { id: number; stationId: number; capacity: number }, now: Date, actorAccountId: number | null) {
  // The coming sessions that take the series' capacity: not those given their own.
  const followsSeries = and(
    eq(sessions.activityId, activity.id),
    eq(sessions.status, "scheduled"),
    gte(sessions.startsAt, now),
    eq(sessions.capacityOverridden, false),
  );
  const [crowded] = await tx
    .select({ taken: sql<number>`max(${sessions.taken})::int` })
    .from(sessions)
    .where(and(followsSeries, sql`${sessions.taken} > ${activity.capacity}`));
  if (crowded?.taken) throw new CapacityBelowConfirmed(crowded.taken);
  const raised = await tx
    .update(sessions)
    .set({ capacity: activity.capacity, updatedAt: new Date() })
    .where(and(followsSeries, sql`${sessions.capacity} <> ${activity.capacity}`))
    .returning({ id: sessions.id });
  for (const { id } of raised) {
    await lockSession(tx, id);
    await promoteWaitlist(tx, activity.stationId, id, now, actorAccountId);
  }
}

/** The activity's future sessions follow its series as just saved; `formerLocation` is its place before the save, what a moved session's mail says it was. */
function syncSeries(
  tx: Tx,
  ctx: ActivityContext,
  range: ReturnType<typeof materialiseWindow>,
  id: number,
  input: ActivityInput,
  formerLocation: string,
) {
  return syncSessions(
    tx,
    { id, stationId: ctx.stationId, capacity: input.capacity, location: formerLocation, newLocation: input.location },
    expandSeries(seriesSpec(input, ctx.timeZone), range.from, range.to),
    range.now,
    range.to,
    ctx.actorAccountId,
  );
}

function auditActivity(tx: Tx, ctx: ActivityContext, action: "activity.create" | "activity.update", id: number, input: ActivityInput) {
  return recordAudit(tx, {
    stationId: ctx.stationId,
    actorAccountId: ctx.actorAccountId,
    action,
    targetType: "activity",
    targetId: id,
    details: { title: input.title },
  });
}

export async function createActivity(db: Db, ctx: ActivityContext, input: ActivityInput): Promise<number> {
  assertValid(input);
  const range = materialiseWindow(ctx);
  return db.transaction(async (tx) => {
    await requireCategoryInStation(tx, ctx.stationId, input.categoryId);
    const [row] = await tx
      .insert(activities)
      .values({ ...columnsOf(input, ctx.timeZone), stationId: ctx.stationId })
      .returning({ id: activities.id });
    const id = row!.id;
    await syncSeries(tx, ctx, range, id, input, input.location);
    await auditActivity(tx, ctx, "activity.create", id, input);
    return id;
  });
}

export async function updateActivity(db: Db, ctx: ActivityContext, id: number, input: ActivityInput): Promise<void> {
  assertValid(input);
  const range = materialiseWindow(ctx);
  await db.transaction(async (tx) => {
    // The row lock serialises concurrent edits of one series and the horizon job.
    const [locked] = await tx
      .select({ id: activities.id, location: activities.location, reminderMinutes: activities.reminderMinutes, remindDayOf: activities.remindDayOf })
      .from(activities)
      .where(and(eq(activities.id, id), eq(activities.stationId, ctx.stationId)))
      .for("update");
    if (!locked) throw new NotFound("activity");
    await requireCategoryInStation(tx, ctx.stationId, input.categoryId);
    await tx
      .update(activities)
      .set({ ...columnsOf(input, ctx.timeZone), updatedAt: new Date() })
      .where(eq(activities.id, id));
    await syncSeries(tx, ctx, range, id, input, locked.location);
    // New reminder settings reach the people already booked on future sessions.
    if (
      (input.reminderMinutes !== undefined && input.reminderMinutes !== locked.reminderMinutes) ||
      (input.remindDayOf !== undefined && input.remindDayOf !== locked.remindDayOf)
    ) {
      await retimeReminders(tx, { activityId: id }, range.now);
      await addMissingReminders(tx, id, range.now);
    }
    await auditActivity(tx, ctx, "activity.update", id, input);
  });
}

export async function getActivity(db: Db, stationId: number, id: number, timeZone: string): Promise<Activity | undefined> {
  const [row] = await db
    .select({ activity: activities, categorySlug: categories.slug })
    .from(activities)
    .innerJoin(categories, eq(categories.id, activities.categoryId))
    .where(and(eq(activities.id, id), eq(activities.stationId, stationId)));
  if (!row) return undefined;
  const a = row.activity;
  return {
    id: a.id,
    categoryId: a.categoryId,
    categorySlug: row.categorySlug,
    title: a.title,
    description: a.description,
    location: a.location,
    leader: a.leader,
    capacity: a.capacity,
    durationMinutes: a.durationMinutes,
    startDate: a.startDate,
    startTime: a.startTime,
    rule: specOf(a, timeZone).rule,
    exdates: a.exdates,
    maxPartySize: a.maxPartySize,
    signupOpensDays: a.signupOpensDays,
    signupClosesMinutes: a.signupClosesMinutes,
    cancelDeadlineMinutes: a.cancelDeadlineMinutes,
    reminderMinutes: a.reminderMinutes,
    remindDayOf: a.remindDayOf,
  };
}

export interface ActivitySummary {
  id: number;
  title: string;
  categorySlug: string;
  categoryNameZh: string;
  categoryNameEn: string;
  rrule: string | null;
  startDate: string;
  startTime: string;
  capacity: number;
  upcomingSessions: number;
}

export async function listActivities(db: Db, stationId: number, now = new Date()): Promise<ActivitySummary[]> {
  return db
    .select({
      id: activities.id,
      title: activities.title,
      categorySlug: categories.slug,
      categoryNameZh: categories.nameZh,
      categoryNameEn: categories.nameEn,
      rrule: activities.rrule,
      startDate: activities.startDate,
      startTime: activities.startTime,
      capacity: activities.capacity,
      upcomingSessions: sql<number>`(select count(*)::int from ${sessions} s where s.activity_id = ${activities.id} and s.starts_at >= ${now} and s.status = 'scheduled')`,
    })
    .from(activities)
    .innerJoin(categories, eq(categories.id, activities.categoryId))
    .where(eq(activities.stationId, stationId))
    .orderBy(asc(categories.sortOrder), asc(activities.title));
}

/**
 * Rolls the horizon forward: every activity whose sessions stop short of `now + horizon`
 * gets the missing ones. Inserting on the (activity, occurrence) key makes a second run,
 * or two runs at once, add nothing twice.
 */
export async function extendHorizon(db: Db, ctx: Omit<ActivityContext, "actorAccountId">): Promise<number> {
  const { now, from, to } = materialiseWindow({ ...ctx, actorAccountId: null });
  const due = await db
    .select()
    .from(activities)
    .where(and(eq(activities.stationId, ctx.stationId), sql`coalesce(${activities.materializedUntil}, '-infinity') < ${to}`));
  let added = 0;
  for (const row of due) {
    const start = row.materializedUntil && row.materializedUntil > from ? row.materializedUntil : from;
    const fresh = expandSeries(specOf(row, ctx.timeZone), start, to).filter((o) => o.startsAt >= now);
    await db.transaction(async (tx) => {
      if (fresh.length) {
        const inserted = await tx
          .insert(sessions)
          .values(
            fresh.map((o) => ({
              stationId: row.stationId,
              activityId: row.id,
              occurrenceKey: o.key,
              startsAt: o.startsAt,
              endsAt: o.endsAt,
              capacity: row.capacity,
            })),
          )
          .onConflictDoNothing()
          .returning({ id: sessions.id });
        added += inserted.length;
      }
      await tx
        .update(activities)
        .set({ materializedUntil: to })
        .where(and(eq(activities.id, row.id), lt(sql`coalesce(${activities.materializedUntil}, '-infinity')`, to)));
    });
  }
  return added;
}
