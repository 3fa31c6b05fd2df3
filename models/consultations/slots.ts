import { and, asc, eq, gte, inArray, isNull, lt, lte, or } from "drizzle-orm";
import { DateTime } from "luxon";
import type { DbOrTx } from "../db";
import { consultations, people, providerHours, providerHoursChanges, stations } from "../db/schema";
import type { ConsultationService } from "./services";

/**
 * Slots are not stored: they are cut, when asked for, from a provider's weekly hours and that
 * day's changes (ADR 18). A booking stores its own start and end, so changing the hours later
 * never moves or drops a booked consultation.
 */

/** Minutes since local midnight of "HH:MM" ("24:00" is 1440). */
export const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * The starts (in minutes since midnight) of the slots that fit in [from, to): each `slot`
 * minutes long and `buffer` minutes after the one before. 14:00–17:00 in slots of 45 with 15
 * between gives 14:00, 15:00, 16:00.
 */
export function cutSlots(from: number, to: number, slot: number, buffer: number): number[] {
  const starts: number[] = [];
  for (let start = from; start + slot <= to; start += slot + buffer) starts.push(start);
  return starts;
}

export interface Slot {
  /** The station's local day, YYYY-MM-DD. */
  date: string;
  providerPersonId: number;
  providerName: string;
  startsAt: Date;
  endsAt: Date;
  location: string;
  free: boolean;
}

/** The columns of weekly hours that say when and where a provider sees people. */
export const weeklyHoursColumns = {
  serviceId: providerHours.serviceId,
  providerPersonId: providerHours.providerPersonId,
  weekday: providerHours.weekday,
  startTime: providerHours.startTime,
  endTime: providerHours.endTime,
  location: providerHours.location,
  fromDate: providerHours.fromDate,
  untilDate: providerHours.untilDate,
};

export interface OpenWindow {
  serviceId: number;
  providerPersonId: number;
  /** Minutes since local midnight. */
  from: number;
  to: number;
  location: string;
}

/**
 * The stretches each provider offers on each local day of [fromDate, toDate], for the given
 * services: the weekly hours that hold then, less the providers' days off, plus the extra
 * stretches. Keyed by YYYY-MM-DD; days with none are absent.
 */
export async function openWindows(
  db: DbOrTx,
  range: { serviceIds: number[]; zone: string; fromDate: string; toDate: string; providerPersonId?: number },
): Promise<Map<string, OpenWindow[]>> {
  const windowsByDay = new Map<string, OpenWindow[]>();
  if (range.serviceIds.length === 0) return windowsByDay;
  const provider = range.providerPersonId;
  const hours = await db
    .select(weeklyHoursColumns)
    .from(providerHours)
    .where(
      and(
        inArray(providerHours.serviceId, range.serviceIds),
        lte(providerHours.fromDate, range.toDate),
        or(isNull(providerHours.untilDate), gte(providerHours.untilDate, range.fromDate)),
        provider === undefined ? undefined : eq(providerHours.providerPersonId, provider),
      ),
    );
  const changes = await db
    .select({
      serviceId: providerHoursChanges.serviceId,
      providerPersonId: providerHoursChanges.providerPersonId,
      localDate: providerHoursChanges.localDate,
      kind: providerHoursChanges.kind,
      startTime: providerHoursChanges.startTime,
      endTime: providerHoursChanges.endTime,
      location: providerHoursChanges.location,
    })
    .from(providerHoursChanges)
    .where(
      and(
        inArray(providerHoursChanges.serviceId, range.serviceIds),
        gte(providerHoursChanges.localDate, range.fromDate),
        lte(providerHoursChanges.localDate, range.toDate),
        provider === undefined ? undefined : eq(providerHoursChanges.providerPersonId, provider),
      ),
    );
  const last = DateTime.fromISO(range.toDate, { zone: range.zone });
  for (let day = DateTime.fromISO(range.fromDate, { zone: range.zone }); day <= last; day = day.plus({ days: 1 })) {
    const date = day.toISODate()!;
    // A day off is the provider's for that service's hours on that day.
    const off = new Set(changes.filter((c) => c.localDate === date && c.kind === "off").map((c) => `${c.serviceId}:${c.providerPersonId}`));
    const windows: OpenWindow[] = [];
    for (const h of hours) {
      if (
        h.weekday !== day.weekday ||
        h.fromDate > date ||
        (h.untilDate !== null && h.untilDate < date) ||
        off.has(`${h.serviceId}:${h.providerPersonId}`)
      )
        continue;
      windows.push({
        serviceId: h.serviceId,
        providerPersonId: h.providerPersonId,
        from: minutesOf(h.startTime),
        to: minutesOf(h.endTime),
        location: h.location,
      });
    }
    for (const c of changes) {
      if (c.localDate !== date || c.kind !== "extra") continue;
      windows.push({
        serviceId: c.serviceId,
        providerPersonId: c.providerPersonId,
        from: minutesOf(c.startTime!),
        to: minutesOf(c.endTime!),
        location: c.location!,
      });
    }
    if (windows.length) windowsByDay.set(date, windows);
  }
  return windowsByDay;
}

/**
 * Every slot of a service on the local days [fromDate, toDate], by day, then start, then
 * provider: free or taken (by a booked consultation of any service at that provider's start).
 * Only slots still to come are listed; `providerPersonId` narrows to one provider.
 */
export async function slotsOf(
  db: DbOrTx,
  service: ConsultationService,
  range: { fromDate: string; toDate: string; now: Date; providerPersonId?: number },
): Promise<Slot[]> {
  const [station] = await db.select({ zone: stations.timeZone }).from(stations).where(eq(stations.id, service.stationId));
  const zone = station!.zone;
  const windowsByDay = await openWindows(db, { serviceIds: [service.id], zone, ...range });
  const first = DateTime.fromISO(range.fromDate, { zone });
  const last = DateTime.fromISO(range.toDate, { zone });
  const providerIds = [...new Set([...windowsByDay.values()].flat().map((w) => w.providerPersonId))];
  if (providerIds.length === 0) return [];

  const names = new Map(
    (await db.select({ id: people.id, name: people.fullName }).from(people).where(inArray(people.id, providerIds))).map((p) => [p.id, p.name]),
  );
  const from = first.startOf("day").toJSDate();
  const to = last.plus({ days: 1 }).startOf("day").toJSDate();
  // Taken: a booked consultation of this provider at that start, whatever its service, or one
  // held for the waitlist (ADR 26).
  const taken = new Set(
    (
      await db
        .select({ providerPersonId: consultations.providerPersonId, startsAt: consultations.startsAt })
        .from(consultations)
        .where(
          and(
            inArray(consultations.providerPersonId, providerIds),
            inArray(consultations.status, ["booked", "held"]),
            gte(consultations.startsAt, from),
            lt(consultations.startsAt, to),
          ),
        )
        .orderBy(asc(consultations.startsAt))
    ).map((c) => `${c.providerPersonId}@${c.startsAt.getTime()}`),
  );

  const slots: Slot[] = [];
  for (const [date, windows] of windowsByDay) {
    const midnight = DateTime.fromISO(date, { zone });
    for (const w of windows) {
      for (const start of cutSlots(w.from, w.to, service.slotMinutes, service.bufferMinutes)) {
        const startsAt = midnight.plus({ minutes: start }).toJSDate();
        if (startsAt <= range.now) continue;
        slots.push({
          date,
          providerPersonId: w.providerPersonId,
          providerName: names.get(w.providerPersonId) ?? "",
          startsAt,
          endsAt: midnight.plus({ minutes: start + service.slotMinutes }).toJSDate(),
          location: w.location,
          free: !taken.has(`${w.providerPersonId}@${startsAt.getTime()}`),
        });
      }
    }
  }
  // One provider's overlapping windows (weekly hours and an extra stretch) give one slot per start.
  const seen = new Set<string>();
  return slots
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.providerPersonId - b.providerPersonId)
    .filter((s) => {
      const key = `${s.providerPersonId}@${s.startsAt.getTime()}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
}

/** The service's bookable local days from today: [today, today + book-ahead days]. */
export function bookableDays(service: ConsultationService, zone: string, now: Date): { fromDate: string; toDate: string } {
  const today = DateTime.fromJSDate(now, { zone }).startOf("day");
  return { fromDate: today.toISODate()!, toDate: today.plus({ days: service.bookAheadDays }).toISODate()! };
}
