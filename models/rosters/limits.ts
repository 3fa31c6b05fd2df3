import { and, asc, eq, isNotNull } from "drizzle-orm";
import type { Db } from "../db";
import { people, stations } from "../db/schema";
import { auditAs } from "../audit";
import { NotAllowed, NotFound } from "../errors";
import { isStaff } from "../permissions";
import { InvalidRosterInput } from "./errors";
import type { RosterContext } from "./types";

/**
 * The most rostered time per person per week: a station-wide default and, for some people,
 * their own (a retired doctor who gives one morning a week; a volunteer who has more time).
 * assign() and the roster suggestion read both; coordinators set them.
 */

// Whole hours, 1 to 60 a week: a limit of 0 would be "never roster", which is what
// not holding the skill already says.
const MIN_HOURS = 1;
const MAX_HOURS = 60;

export interface WeeklyLimits {
  stationHours: number;
  people: { id: number; name: string; hours: number }[];
}

const hoursOf = (minutes: number) => Math.round((minutes / 60) * 10) / 10;

function requireHours(hours: unknown): number {
  if (typeof hours !== "number" || !Number.isInteger(hours) || hours < MIN_HOURS || hours > MAX_HOURS) throw new InvalidRosterInput("weekly_hours");
  return hours;
}

export async function weeklyLimits(db: Db, stationId: number): Promise<WeeklyLimits> {
  const [station] = await db.select({ minutes: stations.maxWeeklyShiftMinutes }).from(stations).where(eq(stations.id, stationId));
  if (!station) throw new NotFound("station");
  const own = await db
    .select({ id: people.id, name: people.fullName, minutes: people.maxWeeklyShiftMinutes })
    .from(people)
    .where(and(eq(people.stationId, stationId), isNotNull(people.maxWeeklyShiftMinutes)))
    .orderBy(asc(people.fullName), asc(people.id));
  return { stationHours: hoursOf(station.minutes), people: own.map((p) => ({ id: p.id, name: p.name, hours: hoursOf(p.minutes ?? 0) })) };
}

export async function setStationWeeklyLimit(db: Db, ctx: RosterContext, hours: unknown) {
  if (!isStaff(ctx.actor)) throw new NotAllowed();
  const minutes = requireHours(hours) * 60;
  await db.transaction(async (tx) => {
    await tx.update(stations).set({ maxWeeklyShiftMinutes: minutes }).where(eq(stations.id, ctx.stationId));
    await auditAs(tx, ctx, {
      action: "roster.weekly_limit",
      targetType: "station",
      targetId: ctx.stationId,
      details: { minutes },
    });
  });
}

/** A person's own weekly limit; null goes back to the station's. */
export async function setPersonWeeklyLimit(db: Db, ctx: RosterContext, personId: number, hours: unknown) {
  if (!isStaff(ctx.actor)) throw new NotAllowed();
  const minutes = hours === null ? null : requireHours(hours) * 60;
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(people)
      .set({ maxWeeklyShiftMinutes: minutes })
      .where(and(eq(people.id, personId), eq(people.stationId, ctx.stationId)))
      .returning({ id: people.id });
    if (!updated.length) throw new NotFound("person");
    await auditAs(tx, ctx, {
      action: "roster.person_weekly_limit",
      targetType: "person",
      targetId: personId,
      details: { minutes },
    });
  });
}
