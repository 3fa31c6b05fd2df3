import { and, asc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../db";
import { availability, blackouts, people } from "../db/schema";
import { auditAs } from "../audit";
import { DomainError, NotAllowed, NotFound } from "../errors";
import { isStaff, type Actor } from "../permissions";
import { isIsoDate } from "./common";
import type { RosterContext } from "./types";

/** weekday 1 = Monday … 7 = Sunday; times "HH:MM" in the station's local time. */
export interface AvailabilitySlot {
  weekday: number;
  startTime: string;
  endTime: string;
}

export interface Blackout {
  id: number;
  fromDate: string;
  toDate: string;
}

/** A window the model refuses: `field` is weekday, startTime, endTime or slots. */
export class InvalidAvailability extends DomainError {
  constructor(
    readonly field: "weekday" | "startTime" | "endTime" | "slots",
    readonly index: number,
  ) {
    super("availability_invalid", 422, { field, index });
  }
}

/** Two windows of one day overlap; routes name the day in the user's language. */
export class AvailabilityOverlap extends DomainError {
  constructor(readonly weekday: number) {
    super("availability_overlap", 422, { weekday });
  }
}

/** A blackout with a date that is not a real day, ends before it starts, or spans over a year. */
export class InvalidBlackout extends DomainError {
  constructor() {
    super("blackout_invalid", 422);
  }
}

// A person has at most a few windows a day; a cap keeps a forged form from writing thousands.
export const MAX_SLOTS = 35;
const MAX_BLACKOUT_DAYS = 366;
const START = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
// The end may be 24:00 (the schema allows it): "until midnight".
const END = /^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;

/**
 * Checks one person's windows the way the form needs: each well formed and ending after it
 * starts, and no two on the same day overlapping (touching, 09:00–12:00 and 12:00–14:00, is fine).
 * Exported for the route's own field messages; the model runs it again before writing.
 */
export function validateSlots(slots: readonly AvailabilitySlot[]): void {
  if (slots.length > MAX_SLOTS) throw new InvalidAvailability("slots", MAX_SLOTS);
  slots.forEach((s, i) => {
    if (!Number.isInteger(s.weekday) || s.weekday < 1 || s.weekday > 7) throw new InvalidAvailability("weekday", i);
    if (!START.test(s.startTime)) throw new InvalidAvailability("startTime", i);
    if (!END.test(s.endTime) || s.endTime <= s.startTime) throw new InvalidAvailability("endTime", i);
  });
  // "HH:MM" strings compare in time order, so sorting them as text is enough.
  const sorted = [...slots].sort((a, b) => a.weekday - b.weekday || a.startTime.localeCompare(b.startTime));
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (prev.weekday === cur.weekday && cur.startTime < prev.endTime) throw new AvailabilityOverlap(cur.weekday);
  }
}

const daysBetween = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

/**
 * A person edits their own availability and blackouts; staff edit anyone's at the station.
 * Unlike signups, a caretaker volunteer may not: these rows steer who is rostered. Staff learn
 * that a person does not exist; others only that they may not (no probing for ids).
 */
async function requireEditable(db: DbOrTx, stationId: number, actor: Actor, personId: number) {
  // Row-locked (NO KEY UPDATE: bookings referencing the person are not held up), so two saves
  // of one person's windows take turns instead of both deleting and then both inserting.
  const [person] = await db
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.id, personId), eq(people.stationId, stationId)))
    .for("no key update");
  if (person && (person.id === actor.personId || isStaff(actor))) return;
  throw !person && isStaff(actor) ? new NotFound("person") : new NotAllowed();
}

/** Scoped by station through the person: availability rows carry no station of their own. */
export async function listAvailability(db: DbOrTx, stationId: number, personId: number): Promise<AvailabilitySlot[]> {
  return db
    .select({ weekday: availability.weekday, startTime: availability.startTime, endTime: availability.endTime })
    .from(availability)
    .innerJoin(people, eq(people.id, availability.personId))
    .where(and(eq(availability.personId, personId), eq(people.stationId, stationId)))
    .orderBy(asc(availability.weekday), asc(availability.startTime));
}

/** Replaces the person's whole weekly availability (the form shows all of it at once), in one transaction. */
export async function setAvailability(db: DbOrTx, ctx: RosterContext, personId: number, slots: AvailabilitySlot[]): Promise<void> {
  validateSlots(slots);
  await db.transaction(async (tx) => {
    await requireEditable(tx, ctx.stationId, ctx.actor, personId);
    await tx.delete(availability).where(eq(availability.personId, personId));
    if (slots.length)
      await tx.insert(availability).values(slots.map((s) => ({ personId, weekday: s.weekday, startTime: s.startTime, endTime: s.endTime })));
    await auditAs(tx, ctx, {
      action: "availability.set",
      targetType: "person",
      targetId: personId,
      details: { slots: slots.length },
    });
  });
}

/** The name the brief uses for setAvailability. */
export const setWeeklyAvailability = setAvailability;

export async function listBlackouts(db: DbOrTx, stationId: number, personId: number, opts: { from?: string } = {}): Promise<Blackout[]> {
  return db
    .select({ id: blackouts.id, fromDate: blackouts.fromDate, toDate: blackouts.toDate })
    .from(blackouts)
    .innerJoin(people, eq(people.id, blackouts.personId))
    .where(and(eq(blackouts.personId, personId), eq(people.stationId, stationId), opts.from ? sql`${blackouts.toDate} >= ${opts.from}` : undefined))
    .orderBy(asc(blackouts.fromDate), asc(blackouts.id));
}

export async function addBlackout(
  db: DbOrTx,
  ctx: RosterContext,
  input: { personId: number; fromDate: string; toDate: string },
): Promise<{ id: number }> {
  if (!isIsoDate(input.fromDate) || !isIsoDate(input.toDate)) throw new InvalidBlackout();
  const span = daysBetween(input.fromDate, input.toDate);
  if (span < 0 || span >= MAX_BLACKOUT_DAYS) throw new InvalidBlackout();
  return db.transaction(async (tx) => {
    await requireEditable(tx, ctx.stationId, ctx.actor, input.personId);
    const [row] = await tx
      .insert(blackouts)
      .values({ personId: input.personId, fromDate: input.fromDate, toDate: input.toDate })
      .returning({ id: blackouts.id });
    await auditAs(tx, ctx, {
      action: "blackout.add",
      targetType: "person",
      targetId: input.personId,
      details: { blackoutId: row!.id, fromDate: input.fromDate, toDate: input.toDate },
    });
    return { id: row!.id };
  });
}

/**
 * Removes a blackout. `personId`, when given, must own it: a page that shows one person's
 * blackouts cannot remove someone else's by a forged id.
 */
export async function removeBlackout(db: DbOrTx, ctx: RosterContext, blackoutId: number, opts: { personId?: number } = {}): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: blackouts.id, personId: blackouts.personId })
      .from(blackouts)
      .innerJoin(people, eq(people.id, blackouts.personId))
      .where(and(eq(blackouts.id, blackoutId), eq(people.stationId, ctx.stationId)));
    // Someone else's blackout is, to a non-staff actor, one that does not exist.
    const visible = row && (row.personId === ctx.actor.personId || isStaff(ctx.actor));
    if (!row || !visible || (opts.personId !== undefined && row.personId !== opts.personId)) throw new NotFound("blackout");
    await tx.delete(blackouts).where(eq(blackouts.id, blackoutId));
    await auditAs(tx, ctx, {
      action: "blackout.remove",
      targetType: "person",
      targetId: row.personId,
      details: { blackoutId },
    });
  });
}
