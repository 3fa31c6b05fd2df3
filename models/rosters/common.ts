import { eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db, DbOrTx } from "../db";
import { requirePerson } from "../people";
import { stations } from "../db/schema";
import { NotAllowed, NotFound } from "../errors";
import { isStaff } from "../permissions";
import type { RosterContext } from "./types";

export const MINUTE = 60_000;

export async function stationZone(db: DbOrTx, stationId: number): Promise<string> {
  const [row] = await db.select({ zone: stations.timeZone }).from(stations).where(eq(stations.id, stationId));
  if (!row) throw new NotFound("station");
  return row.zone;
}

/** "2026-12-01 08:30–11:00" in the station's time: language-neutral, for error params. */
export function formatWhen(start: Date, end: Date, zone: string): string {
  const s = DateTime.fromJSDate(start, { zone });
  const e = DateTime.fromJSDate(end, { zone });
  const sameDay = s.toISODate() === e.toISODate();
  return `${s.toFormat("yyyy-MM-dd HH:mm")}–${sameDay ? e.toFormat("HH:mm") : e.toFormat("yyyy-MM-dd HH:mm")}`;
}

export function requireStaff(ctx: RosterContext) {
  if (!isStaff(ctx.actor)) throw new NotAllowed();
}

/** Self or staff; anyone else gets NotAllowed (a volunteer caretaker does not run others' rosters). */
export async function requireSelfOrStaff(db: Db, ctx: RosterContext, personId: number) {
  if (personId !== ctx.actor.personId && !isStaff(ctx.actor)) throw new NotAllowed();
  await requirePerson(db, ctx.stationId, personId);
}

/** A tstzrange value for inserts and updates, half-open like every shift. */
export const rangeOf = (start: Date, end: Date) => sql`tstzrange(${start.toISOString()}::timestamptz, ${end.toISOString()}::timestamptz, '[)')`;

export const isInt = (value: unknown, min: number, max: number): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A real calendar day "YYYY-MM-DD" in 2000–2100 (roster dates: hours, blackouts). */
export const isIsoDate = (value: unknown): value is string => {
  if (typeof value !== "string" || !ISO_DATE.test(value)) return false;
  const date = DateTime.fromISO(value, { zone: "utc" });
  return date.isValid && date.year >= 2000 && date.year <= 2100;
};

export { rethrowBusy } from "../errors";
