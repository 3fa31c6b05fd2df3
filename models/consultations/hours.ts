import { and, eq, isNotNull, or } from "drizzle-orm";
import type { Db, DbOrTx } from "../db";
import { people, personSkills, providerHours, providerHoursChanges, skills } from "../db/schema";
import { recordAudit } from "../audit";
import { CONSULTATION } from "../limits";
import { NotAllowed, NotFound } from "../errors";
import { isStaff } from "../permissions";
import { isIsoDate } from "../rosters/common";
import { InvalidConsultationInput, NotProvider } from "./errors";
import { requireService, type ConsultationContext } from "./services";

const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const END_TIME = /^([01][0-9]|2[0-4]):[0-5][0-9]$/;

/** The provider themself, or a coordinator (or admin) for them. */
function requireHoursRights(ctx: ConsultationContext, providerPersonId: number) {
  if (providerPersonId !== ctx.actor.personId && !isStaff(ctx.actor)) throw new NotAllowed();
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
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(providerHours)
      .values({
        stationId: ctx.stationId,
        serviceId: service.id,
        providerPersonId: input.providerPersonId,
        weekday: input.weekday as number,
        ...times,
        fromDate: input.fromDate as string,
        untilDate: untilDate as string | null,
      })
      .returning({ id: providerHours.id });
    await recordAudit(tx, {
      stationId: ctx.stationId,
      actorAccountId: ctx.actor.accountId,
      action: "provider_hours.add",
      targetType: "provider_hours",
      targetId: row!.id,
      details: { serviceId: service.id, providerPersonId: input.providerPersonId, weekday: input.weekday, ...times },
    });
    return { id: row!.id };
  });
}

/**
 * A change on one local day: a day off (no slots of that provider's weekly hours that day), or
 * an extra stretch of hours. A day off leaves booked consultations standing: the coordinator
 * sees them and cancels or moves them (the people must be told, by phone if need be).
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
): Promise<{ id: number }> {
  requireHoursRights(ctx, input.providerPersonId);
  const service = await requireService(db, ctx.stationId, input.serviceId, { live: true });
  if (typeof input.localDate !== "string" || !isIsoDate(input.localDate)) throw new InvalidConsultationInput("localDate");
  const times = input.kind === "extra" ? hoursText({ startTime: input.startTime, endTime: input.endTime, location: input.location }) : null;
  if (input.kind === "extra" && !(await isProvider(db, ctx.stationId, service.skillId, input.providerPersonId))) throw new NotProvider();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(providerHoursChanges)
      .values({
        stationId: ctx.stationId,
        serviceId: service.id,
        providerPersonId: input.providerPersonId,
        localDate: input.localDate as string,
        kind: input.kind,
        startTime: times?.startTime ?? null,
        endTime: times?.endTime ?? null,
        location: times?.location ?? null,
      })
      .returning({ id: providerHoursChanges.id });
    await recordAudit(tx, {
      stationId: ctx.stationId,
      actorAccountId: ctx.actor.accountId,
      action: `provider_hours.${input.kind}`,
      targetType: "provider_hours_change",
      targetId: row!.id,
      details: { serviceId: service.id, providerPersonId: input.providerPersonId, localDate: input.localDate },
    });
    return { id: row!.id };
  });
}

/** Removes weekly hours (booked consultations stand, as for a day off). */
export async function removeProviderHours(db: Db, ctx: ConsultationContext, hoursId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ providerPersonId: providerHours.providerPersonId })
      .from(providerHours)
      .where(and(eq(providerHours.id, hoursId), eq(providerHours.stationId, ctx.stationId)));
    if (!row) throw new NotFound("provider_hours");
    requireHoursRights(ctx, row.providerPersonId);
    await tx.delete(providerHours).where(eq(providerHours.id, hoursId));
    await recordAudit(tx, {
      stationId: ctx.stationId,
      actorAccountId: ctx.actor.accountId,
      action: "provider_hours.remove",
      targetType: "provider_hours",
      targetId: hoursId,
    });
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
    .select({
      id: providerHours.id,
      serviceId: providerHours.serviceId,
      providerPersonId: providerHours.providerPersonId,
      providerName: people.fullName,
      weekday: providerHours.weekday,
      startTime: providerHours.startTime,
      endTime: providerHours.endTime,
      location: providerHours.location,
      fromDate: providerHours.fromDate,
      untilDate: providerHours.untilDate,
    })
    .from(providerHours)
    .innerJoin(people, eq(people.id, providerHours.providerPersonId))
    .where(and(eq(providerHours.stationId, stationId), serviceId === undefined ? undefined : eq(providerHours.serviceId, serviceId)))
    .orderBy(providerHours.serviceId, providerHours.weekday, providerHours.startTime);
}
