import { DateTime } from "luxon";
import type { ConsultationView } from "#models/consultations/bookings";
import { listConsultationServices } from "#models/consultations/services";
import type { SensitivePage } from "#models/privacy/access";
import { localName } from "~/i18n";
import { isIsoDate } from "~/lib/fields";
import { dateFormatter } from "~/lib/dates.server";
import type { AuthorisedContext } from "~/lib/guard.server";
import { recordSensitiveViews, viewOf } from "~/lib/sensitive-views.server";

/**
 * One day of consultations for the two pages that list them with topics: staff's day across
 * every provider (manage/consultations/day) and a provider's own (my/consultations). The day is
 * `?day=` or today in the station's zone; only booked ones are shown, and their topics are
 * recorded as seen (ADR 22) under `page`.
 */
export async function consultationDay(
  ctx: AuthorisedContext,
  request: Request,
  page: SensitivePage,
  list: (from: Date, to: Date) => Promise<ConsultationView[]>,
) {
  const asked = new URL(request.url).searchParams.get("day") ?? "";
  const zone = ctx.station.timeZone;
  const today = DateTime.now().setZone(zone).startOf("day");
  const day = isIsoDate(asked) ? DateTime.fromISO(asked, { zone }) : today;
  const fmt = dateFormatter(ctx.locale, zone);
  const [rows, services] = await Promise.all([
    list(day.toJSDate(), day.plus({ days: 1 }).toJSDate()),
    listConsultationServices(ctx.db, ctx.station.id, { includeArchived: true }),
  ]);
  const names = new Map(services.map((s) => [s.id, localName(ctx.locale, s)]));
  const now = new Date();
  const shown = rows.filter((r) => r.status === "booked");
  await recordSensitiveViews(
    ctx.db,
    viewOf(ctx, page, "topic"),
    shown.filter((r) => r.topic).map((r) => r.personId),
  );
  return {
    day: day.toISODate()!,
    /** Where the day ends (the next one's midnight in the station's zone). */
    dayEnd: day.plus({ days: 1 }).toJSDate(),
    dayLabel: fmt.dayOfDate(day.toISODate()!),
    previous: day.minus({ days: 1 }).toISODate()!,
    next: day.plus({ days: 1 }).toISODate()!,
    isToday: day.hasSame(today, "day"),
    appointments: shown.map((r) => ({
      id: r.id,
      time: `${fmt.time(r.startsAt)}–${fmt.time(r.endsAt)}`,
      service: names.get(r.serviceId) ?? "",
      provider: r.providerName,
      name: r.personName,
      location: r.location,
      topic: r.topic,
      attendance: r.attendance,
      begun: r.startsAt <= now,
    })),
  };
}
