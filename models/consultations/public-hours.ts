import { sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { DbOrTx } from "../db";
import { consultationServices, providerHours, providerHoursChanges } from "../db/schema";
import { listConsultationServices } from "./services";
import { openWindows } from "./slots";

/**
 * What the public may know of consultations (ADR 18): that a service is open for booking at
 * a place and time, e.g. 法律咨询 14:00–17:00 (可预约) — never who gives it, nor who booked.
 * The public calendar's category of them, as the calendar page files its weekly hours.
 */
export const CONSULTATION_CATEGORY_SLUG = "consultation";

export interface PublicHoursLine {
  serviceId: number;
  serviceNameZh: string;
  /** The station's local day, YYYY-MM-DD. */
  date: string;
  startsAt: Date;
  endsAt: Date;
  location: string;
}

/**
 * The open hours of every live service on the local days from `fromDate` to `toDate`, each
 * within how far ahead its service can be booked: the providers' stretches at one place,
 * joined where they meet or overlap (two counsellors 9:00–12:00 make one line).
 */
export async function publicHours(
  db: DbOrTx,
  range: { stationId: number; zone: string; fromDate: string; toDate: string },
): Promise<PublicHoursLine[]> {
  const services = await listConsultationServices(db, range.stationId);
  if (services.length === 0) return [];
  const windowsByDay = await openWindows(db, {
    serviceIds: services.map((s) => s.id),
    zone: range.zone,
    fromDate: range.fromDate,
    toDate: range.toDate,
  });
  const first = DateTime.fromISO(range.fromDate, { zone: range.zone });
  const lines: PublicHoursLine[] = [];
  for (const service of services) {
    const lastBookable = first.plus({ days: service.bookAheadDays }).toISODate()!;
    for (const [date, windows] of windowsByDay) {
      if (date > lastBookable) continue;
      const byPlace = new Map<string, { from: number; to: number }[]>();
      for (const w of windows.filter((w) => w.serviceId === service.id)) {
        byPlace.set(w.location, [...(byPlace.get(w.location) ?? []), { from: w.from, to: w.to }]);
      }
      const midnight = DateTime.fromISO(date, { zone: range.zone });
      for (const [location, stretches] of byPlace) {
        for (const { from, to } of joined(stretches)) {
          lines.push({
            serviceId: service.id,
            serviceNameZh: service.nameZh,
            date,
            startsAt: midnight.plus({ minutes: from }).toJSDate(),
            endsAt: midnight.plus({ minutes: to }).toJSDate(),
            location,
          });
        }
      }
    }
  }
  return lines.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.serviceId - b.serviceId || a.location.localeCompare(b.location));
}

/** Stretches of one day joined where they meet or overlap, in order. */
function joined(stretches: { from: number; to: number }[]) {
  const out: { from: number; to: number }[] = [];
  for (const s of [...stretches].sort((a, b) => a.from - b.from)) {
    const last = out.at(-1);
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else out.push({ ...s });
  }
  return out;
}

/**
 * What the public hours are made of, as one digest (for a feed's ETag) and their newest
 * change: the station's hours, the changes on the days shown, and the services' names and
 * state. Small tables, one statement.
 */
export async function publicHoursVersion(db: DbOrTx, range: { stationId: number; fromDate: string; toDate: string }) {
  const h = providerHours;
  const c = providerHoursChanges;
  const s = consultationServices;
  const result = await db.execute<{ digest: string; last_ms: string | null }>(sql`
    select md5(
      coalesce((select string_agg(concat_ws('|', ${h.id}, ${h.serviceId}, ${h.providerPersonId}, ${h.weekday}, ${h.startTime}, ${h.endTime}, ${h.location}, ${h.fromDate}, ${h.untilDate}), ',' order by ${h.id})
        from ${h} where ${h.stationId} = ${range.stationId}), '') || '#' ||
      coalesce((select string_agg(concat_ws('|', ${c.id}, ${c.serviceId}, ${c.providerPersonId}, ${c.localDate}, ${c.kind}, ${c.startTime}, ${c.endTime}, ${c.location}), ',' order by ${c.id})
        from ${c} where ${c.stationId} = ${range.stationId} and ${c.localDate} between ${range.fromDate} and ${range.toDate}), '') || '#' ||
      coalesce((select string_agg(concat_ws('|', ${s.id}, ${s.nameZh}, ${s.bookAheadDays}, ${s.archivedAt}), ',' order by ${s.id})
        from ${s} where ${s.stationId} = ${range.stationId}), '')
    ) as digest,
    (extract(epoch from greatest(
      (select max(${h.createdAt}) from ${h} where ${h.stationId} = ${range.stationId}),
      (select max(${c.createdAt}) from ${c} where ${c.stationId} = ${range.stationId}),
      (select max(${s.createdAt}) from ${s} where ${s.stationId} = ${range.stationId})
    )) * 1000)::bigint::text as last_ms`);
  const row = result.rows[0]!;
  return { digest: row.digest, lastModified: row.last_ms ? new Date(Number(row.last_ms)) : null };
}
