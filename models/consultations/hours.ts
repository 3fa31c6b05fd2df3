import { and, asc, eq, gte, isNotNull, or } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db, DbOrTx, Tx } from "../db";
import { people, personSkills, providerHours, providerHoursChanges, skills, stations } from "../db/schema";
import { auditAs } from "../audit";
import { CONSULTATION } from "../limits";
import { NotAllowed, NotFound } from "../errors";
import { canManageHours } from "../policies/consultations";
import { isIsoDate } from "../rosters/common";
import { describePersonConflict, isCommitmentClash } from "../commitments";
import { InvalidConsultationInput, NotProvider } from "./errors";
import { listConsultationServices, requireService, type ConsultationContext } from "./services";
import { hoursHorizon, materialiseHours, withHoursClashNamed } from "./hours-ledger";
import { lockHolds, providerOkNote, releaseHoldsOutsideHours, settleBookingsOutsideHours, type BookingsConfirmation } from "./hours-bookings";
import { minutesOf, weeklyHoursColumns } from "./slots";

const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const END_TIME = /^([01][0-9]|2[0-4]):[0-5][0-9]$/;

/** The provider themself, or a coordinator (or admin) for them (`canManageHours`). */
function requireHoursRights(ctx: ConsultationContext, providerPersonId: number) {
  if (!canManageHours(ctx.actor, { providerPersonId })) throw new NotAllowed();
}

/** A provider holds the service's skill, confirmed by a coordinator when the skill is restricted. */
export async function isProvider(db: DbOrTx, stationId: number, skillId: number, personId: number): Promise<boolean> {
  const [row] = await db
    .select({ personId: personSkills.personId })
    .from(personSkills)
    .innerJoin(skills, eq(skills.id, personSkills.skillId))
    .innerJoin(people, eq(people.id, personSkills.personId))
    .where(
      and(
        eq(personSkills.personId, personId),
        eq(personSkills.skillId, skillId),
        eq(people.stationId, stationId),
        or(eq(skills.restricted, false), isNotNull(personSkills.confirmedAt)),
      ),
    );
  return row !== undefined;
}

function hoursText(input: { startTime: unknown; endTime: unknown; location: unknown }) {
  const startTime = typeof input.startTime === "string" && TIME.test(input.startTime) ? input.startTime : null;
  const endTime = typeof input.endTime === "string" && END_TIME.test(input.endTime) ? input.endTime : null;
  if (!startTime) throw new InvalidConsultationInput("startTime");
  if (!endTime || endTime <= startTime) throw new InvalidConsultationInput("endTime");
  const location = typeof input.location === "string" ? input.location.trim() : "";
  if (location.length < 1 || location.length > CONSULTATION.location) throw new InvalidConsultationInput("location");
  return { startTime, endTime, location };
}

/** Weekly hours (e.g. 每周四 14:00–17:00 in 法律服务室) from a date, optionally until one. */
export async function addProviderHours(
  db: Db,
  ctx: ConsultationContext,
  input: {
    serviceId: number;
    providerPersonId: number;
    weekday: unknown;
    startTime: unknown;
    endTime: unknown;
    location: unknown;
    fromDate: unknown;
    untilDate?: unknown;
  },
): Promise<{ id: number }> {
  requireHoursRights(ctx, input.providerPersonId);
  const service = await requireService(db, ctx.stationId, input.serviceId, { live: true });
  if (typeof input.weekday !== "number" || !Number.isInteger(input.weekday) || input.weekday < 1 || input.weekday > 7)
    throw new InvalidConsultationInput("weekday");
  const times = hoursText(input);
  if (typeof input.fromDate !== "string" || !isIsoDate(input.fromDate)) throw new InvalidConsultationInput("fromDate");
  const untilDate = input.untilDate === undefined || input.untilDate === null || input.untilDate === "" ? null : input.untilDate;
  if (untilDate !== null && (typeof untilDate !== "string" || !isIsoDate(untilDate) || untilDate < input.fromDate))
    throw new InvalidConsultationInput("untilDate");
  if (!(await isProvider(db, ctx.stationId, service.skillId, input.providerPersonId))) throw new NotProvider();
  const hours = {
    stationId: ctx.stationId,
    serviceId: service.id,
    providerPersonId: input.providerPersonId,
    weekday: input.weekday as number,
    ...times,
    fromDate: input.fromDate as string,
    untilDate: untilDate as string | null,
  };
  // The hours hold the provider's time (ADR 27): their days to the horizon enter the ledger with
  // them, and a clash with the provider's shifts, sessions or other hours refuses them, named.
  const range = hoursHorizon(await zoneOf(db, ctx.stationId), ctx.now ?? new Date());
  return db.transaction(async (tx) => {
    const row = await withHoursClashNamed(tx, hours, range, async (sp) => {
      const [inserted] = await sp.insert(providerHours).values(hours).returning({ id: providerHours.id });
      await materialiseHours(sp, inserted!.id, range, true);
      return inserted!;
    });
    await auditAs(tx, ctx, {
      action: "provider_hours.add",
      targetType: "provider_hours",
      targetId: row!.id,
      details: { serviceId: service.id, providerPersonId: input.providerPersonId, weekday: input.weekday, ...times },
    });
    return { id: row!.id };
  });
}

async function zoneOf(db: DbOrTx, stationId: number): Promise<string> {
  const [station] = await db.select({ zone: stations.timeZone }).from(stations).where(eq(stations.id, stationId));
  return station!.zone;
}

/**
 * A change on one local day: a day off (no slots of that provider's weekly hours that day), or
 * an extra stretch of hours (refused, named, when it overlaps the provider's other commitments,
 * their weekly hours included). A day off over booked consultations lands only with the
 * provider's confirmation, cancelling them (ADR 27).
 */
export async function changeProviderDay(
  db: Db,
  ctx: ConsultationContext,
  input: {
    serviceId: number;
    providerPersonId: number;
    localDate: unknown;
    kind: "off" | "extra";
    startTime?: unknown;
    endTime?: unknown;
    location?: unknown;
  },
  confirmation?: BookingsConfirmation,
): Promise<{ id: number; cancelled: number[] }> {
  requireHoursRights(ctx, input.providerPersonId);
  const service = await requireService(db, ctx.stationId, input.serviceId, { live: true });
  if (typeof input.localDate !== "string" || !isIsoDate(input.localDate)) throw new InvalidConsultationInput("localDate");
  const times = input.kind === "extra" ? hoursText({ startTime: input.startTime, endTime: input.endTime, location: input.location }) : null;
  if (input.kind === "extra" && !(await isProvider(db, ctx.stationId, service.skillId, input.providerPersonId))) throw new NotProvider();
  const zone = await zoneOf(db, ctx.stationId);
  return db.transaction(async (tx) => {
    const values = {
      stationId: ctx.stationId,
      serviceId: service.id,
      providerPersonId: input.providerPersonId,
      localDate: input.localDate as string,
      kind: input.kind,
      startTime: times?.startTime ?? null,
      endTime: times?.endTime ?? null,
      location: times?.location ?? null,
    };
    const hours = { serviceId: service.id, providerPersonId: input.providerPersonId };
    const held = input.kind === "off" ? await lockHolds(tx, ctx, hours) : [];
    const row = await insertChange(tx, values, zone);
    const cancelled = input.kind === "off" ? await settleBookingsOutsideHours(tx, ctx, hours, confirmation) : [];
    const released = await releaseHoldsOutsideHours(tx, ctx, hours, held);
    await auditAs(tx, ctx, {
      action: `provider_hours.${input.kind}`,
      targetType: "provider_hours_change",
      targetId: row.id,
      details: {
        serviceId: service.id,
        providerPersonId: input.providerPersonId,
        localDate: input.localDate,
        ...auditOfCancelled(ctx, input.providerPersonId, cancelled, confirmation),
        ...(released.length ? { releasedHolds: released } : {}),
      },
    });
    return { id: row.id, cancelled };
  });
}

/**
 * Undoes a day off or an extra stretch (a provider's mistake, or plans changed back). A day off
 * undone gives the day's weekly hours back to the ledger, refused with the clash named if the
 * provider has taken something else on at that time since; an extra stretch undone is like hours
 * removed: bookings in it are cancelled only with the provider's confirmation (ADR 27). A change
 * of a past day, or another provider's, is not there to undo (404).
 */
export async function undoDayChange(
  db: Db,
  ctx: ConsultationContext,
  changeId: number,
  confirmation?: BookingsConfirmation,
): Promise<{ cancelled: number[] }> {
  const zone = await zoneOf(db, ctx.stationId);
  const today = DateTime.now().setZone(zone).toISODate()!;
  return db.transaction(async (tx) => {
    const [change] = await tx
      .select()
      .from(providerHoursChanges)
      .where(and(eq(providerHoursChanges.id, changeId), eq(providerHoursChanges.stationId, ctx.stationId)))
      .for("update");
    if (!change || change.localDate < today || !canManageHours(ctx.actor, change)) throw new NotFound("provider_hours_change");
    const hours = { serviceId: change.serviceId, providerPersonId: change.providerPersonId };
    const held = change.kind === "extra" ? await lockHolds(tx, ctx, hours) : [];
    await tx.delete(providerHoursChanges).where(eq(providerHoursChanges.id, changeId));
    if (change.kind === "off") await restoreWeeklyDay(tx, change);
    const cancelled = change.kind === "extra" ? await settleBookingsOutsideHours(tx, ctx, hours, confirmation) : [];
    const released = await releaseHoldsOutsideHours(tx, ctx, hours, held);
    await auditAs(tx, ctx, {
      action: `provider_hours.undo_${change.kind}`,
      targetType: "provider_hours_change",
      targetId: changeId,
      details: {
        serviceId: change.serviceId,
        providerPersonId: change.providerPersonId,
        localDate: change.localDate,
        ...auditOfCancelled(ctx, change.providerPersonId, cancelled, confirmation),
        ...(released.length ? { releasedHolds: released } : {}),
      },
    });
    return { cancelled };
  });
}

/** The day's weekly hours of the service back in the ledger (strict: a clash fails, and is named). */
async function restoreWeeklyDay(tx: Tx, change: typeof providerHoursChanges.$inferSelect) {
  const day = { fromDate: change.localDate, toDate: change.localDate };
  const weekly = await tx
    .select()
    .from(providerHours)
    .where(and(eq(providerHours.serviceId, change.serviceId), eq(providerHours.providerPersonId, change.providerPersonId)));
  for (const h of weekly) await withHoursClashNamed(tx, h, day, (sp) => materialiseHours(sp, h.id, day, true));
}

/** The change row; its trigger writes the ledger (an extra stretch's time, a day off's release), and a clash is named. */
async function insertChange(tx: Tx, values: typeof providerHoursChanges.$inferInsert, zone: string): Promise<{ id: number }> {
  try {
    return await tx.transaction(async (sp) => {
      const [row] = await sp.insert(providerHoursChanges).values(values).returning({ id: providerHoursChanges.id });
      return row!;
    });
  } catch (error) {
    if (!isCommitmentClash(error)) throw error;
    const day = DateTime.fromISO(values.localDate, { zone });
    const at = (time: string | null | undefined) => day.plus({ minutes: minutesOf(time ?? "00:00") }).toJSDate();
    throw await describePersonConflict(tx, values.providerPersonId, at(values.startTime), at(values.endTime), { writing: "hours" });
  }
}

function auditOfCancelled(ctx: ConsultationContext, providerPersonId: number, cancelled: number[], confirmation?: BookingsConfirmation) {
  if (cancelled.length === 0) return {};
  return { cancelledConsultations: cancelled, providerOk: providerOkNote(ctx, providerPersonId, confirmation) ?? null };
}

async function lockHours(tx: Tx, ctx: ConsultationContext, hoursId: number) {
  const [row] = await tx
    .select({ serviceId: providerHours.serviceId, providerPersonId: providerHours.providerPersonId, fromDate: providerHours.fromDate })
    .from(providerHours)
    .where(and(eq(providerHours.id, hoursId), eq(providerHours.stationId, ctx.stationId)))
    .for("update");
  // Another provider's hours are not for them to know of: as if there were none.
  if (!row || !canManageHours(ctx.actor, row)) throw new NotFound("provider_hours");
  return row;
}

interface WeeklyHoursCut {
  action: string;
  details: Record<string, unknown>;
  apply: (tx: Tx) => Promise<unknown>;
}

/**
 * Removes or ends weekly hours as `plan` says, once it has seen the locked row. Their holds are
 * locked before the change, as lockHolds asks; then the bookings and holds the hours no longer
 * have are settled, and the audit entry says what went.
 */
async function cutWeeklyHours(
  db: Db,
  ctx: ConsultationContext,
  hoursId: number,
  confirmation: BookingsConfirmation | undefined,
  plan: (row: Awaited<ReturnType<typeof lockHours>>) => WeeklyHoursCut,
): Promise<{ cancelled: number[] }> {
  return db.transaction(async (tx) => {
    const row = await lockHours(tx, ctx, hoursId);
    const cut = plan(row);
    const held = await lockHolds(tx, ctx, row);
    await cut.apply(tx);
    const cancelled = await settleBookingsOutsideHours(tx, ctx, row, confirmation);
    const released = await releaseHoldsOutsideHours(tx, ctx, row, held);
    await auditAs(tx, ctx, {
      action: cut.action,
      targetType: "provider_hours",
      targetId: hoursId,
      details: {
        ...cut.details,
        ...auditOfCancelled(ctx, row.providerPersonId, cancelled, confirmation),
        ...(released.length ? { releasedHolds: released } : {}),
      },
    });
    return { cancelled };
  });
}

/**
 * Removes weekly hours (their days leave the ledger with them). Booked consultations they held
 * are cancelled with the change when the provider confirmed them; otherwise nothing changes (ADR 27).
 */
export async function removeProviderHours(
  db: Db,
  ctx: ConsultationContext,
  hoursId: number,
  confirmation?: BookingsConfirmation,
): Promise<{ cancelled: number[] }> {
  return cutWeeklyHours(db, ctx, hoursId, confirmation, () => ({
    action: "provider_hours.remove",
    details: {},
    apply: (tx) => tx.delete(providerHours).where(eq(providerHours.id, hoursId)),
  }));
}

/**
 * Ends weekly hours after `untilDate` (the days after it leave the ledger, by trigger). As for a
 * removal, booked consultations after it are cancelled only with the provider's confirmation.
 */
export async function endProviderHours(
  db: Db,
  ctx: ConsultationContext,
  hoursId: number,
  untilDate: unknown,
  confirmation?: BookingsConfirmation,
): Promise<{ cancelled: number[] }> {
  if (typeof untilDate !== "string" || !isIsoDate(untilDate)) throw new InvalidConsultationInput("untilDate");
  return cutWeeklyHours(db, ctx, hoursId, confirmation, (row) => {
    if (untilDate < row.fromDate) throw new InvalidConsultationInput("untilDate");
    return {
      action: "provider_hours.end",
      details: { untilDate },
      apply: (tx) => tx.update(providerHours).set({ untilDate }).where(eq(providerHours.id, hoursId)),
    };
  });
}

export interface HoursRow {
  id: number;
  serviceId: number;
  providerPersonId: number;
  providerName: string;
  weekday: number;
  startTime: string;
  endTime: string;
  location: string;
  fromDate: string;
  untilDate: string | null;
}

/** The weekly hours of the station's services (one service, or all), with their providers' names. */
export async function listProviderHours(db: DbOrTx, stationId: number, serviceId?: number): Promise<HoursRow[]> {
  return db
    .select({ id: providerHours.id, ...weeklyHoursColumns, providerName: people.fullName })
    .from(providerHours)
    .innerJoin(people, eq(people.id, providerHours.providerPersonId))
    .where(and(eq(providerHours.stationId, stationId), serviceId === undefined ? undefined : eq(providerHours.serviceId, serviceId)))
    .orderBy(providerHours.serviceId, providerHours.weekday, providerHours.startTime);
}

/** The hours one may see and change: the station's for staff, one's own for anyone else (ADR 27). */
export async function listHoursFor(db: DbOrTx, ctx: ConsultationContext): Promise<HoursRow[]> {
  const all = await listProviderHours(db, ctx.stationId);
  return all.filter((h) => canManageHours(ctx.actor, h));
}

/**
 * The person whose hours a page keeps: the viewer by default; another provider of the station
 * only for staff (`canManageHours`), and NotFound for anyone else, as if they were not there.
 */
export async function requireHoursKeeper(db: DbOrTx, ctx: ConsultationContext, providerPersonId: number): Promise<{ id: number; name: string }> {
  const [row] = await db
    .select({ id: people.id, name: people.fullName })
    .from(people)
    .where(and(eq(people.id, providerPersonId), eq(people.stationId, ctx.stationId)));
  if (!row || !canManageHours(ctx.actor, { providerPersonId })) throw new NotFound("person");
  return row;
}

export interface DayChangeRow {
  id: number;
  serviceId: number;
  localDate: string;
  kind: "off" | "extra";
  startTime: string | null;
  endTime: string | null;
  location: string | null;
}

/** A provider's days off and extra stretches from a day on (their exceptions), by date. */
export async function listDayChanges(db: DbOrTx, stationId: number, providerPersonId: number, fromDate: string): Promise<DayChangeRow[]> {
  const c = providerHoursChanges;
  return db
    .select({
      id: c.id,
      serviceId: c.serviceId,
      localDate: c.localDate,
      kind: c.kind,
      startTime: c.startTime,
      endTime: c.endTime,
      location: c.location,
    })
    .from(c)
    .where(and(eq(c.stationId, stationId), eq(c.providerPersonId, providerPersonId), gte(c.localDate, fromDate)))
    .orderBy(asc(c.localDate), asc(c.startTime), asc(c.id));
}

/** The live services a person may give (they hold the service's skill, confirmed where it must be). */
export async function servicesOfferedBy(db: DbOrTx, stationId: number, personId: number) {
  const services = await listConsultationServices(db, stationId);
  const offered = await Promise.all(services.map((s) => isProvider(db, stationId, s.skillId, personId)));
  return services.filter((_, i) => offered[i]);
}
