import { redirect } from "@remix-run/node";
import { z } from "zod";
import { listConsultationServices, requireService, type ConsultationService } from "#models/consultations/services";
import { bookableDays, slotsOf, type Slot } from "#models/consultations/slots";
import { bookConsultation, cancelConsultation, listPersonConsultations } from "#models/consultations/bookings";
import { consultationCancelVerdict } from "#models/policies/consultations";
import { CONSULTATION } from "#models/limits";
import { localName, type MessageKey } from "~/i18n";
import type { AuthorisedContext } from "./guard.server";
import { dateFormatter } from "./dates.server";
import { domainFormError, fields, formError, parseForm } from "./http.server";
import { spendMailBudgetOf } from "./mail-budget.server";

/** The kinds as residents read them. */
export const KIND_LABEL: Record<ConsultationService["kind"], MessageKey> = {
  legal: "consult.kind.legal",
  counselling: "consult.kind.counselling",
  family_doctor: "consult.kind.family_doctor",
  other: "consult.kind.other",
};

/** The services page: each live service with its length and the first free slot. */
export async function servicesView(ctx: AuthorisedContext, now = new Date()) {
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const services = await listConsultationServices(ctx.db, ctx.station.id);
  return Promise.all(
    services.map(async (s) => {
      const free = (await slotsOf(ctx.db, s, { ...bookableDays(s, ctx.station.timeZone, now), now })).find((slot) => slot.free);
      return {
        id: s.id,
        name: localName(ctx.locale, s),
        // The kind only where the name does not already say it (法律援助 is legal aid).
        kind: ctx.t(KIND_LABEL[s.kind]) === localName(ctx.locale, s) ? null : ctx.t(KIND_LABEL[s.kind]),
        minutes: s.slotMinutes,
        aheadDays: s.bookAheadDays,
        nextFree: free ? `${fmt.day(free.startsAt)} ${fmt.time(free.startsAt)}` : null,
      };
    }),
  );
}

export interface SlotChoice {
  day: string | null;
  provider: number | null;
  slot: string | null;
}

/** One service's days and the chosen day's slots, by provider; the chosen slot, if any. */
export async function serviceSlotsView(ctx: AuthorisedContext, service: ConsultationService, choice: SlotChoice, now = new Date()) {
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const range = bookableDays(service, ctx.station.timeZone, now);
  const all = await slotsOf(ctx.db, service, { ...range, now });
  const providers = [...new Map(all.map((s) => [s.providerPersonId, s.providerName])).entries()].map(([id, name]) => ({ id, name }));
  const provider = choice.provider !== null && providers.some((p) => p.id === choice.provider) ? choice.provider : null;
  // With a provider chosen, the days are theirs: a day they do not come is not offered.
  const shown = provider === null ? all : all.filter((s) => s.providerPersonId === provider);
  const days = new Map<string, { date: string; label: [string, string]; free: number }>();
  for (const s of shown) {
    const day = days.get(s.date) ?? { date: s.date, label: fmt.dayOfDateParts(s.date), free: 0 };
    if (s.free) day.free++;
    days.set(s.date, day);
  }
  const dayList = [...days.values()];
  const day = choice.day && days.has(choice.day) ? choice.day : (dayList.find((d) => d.free > 0)?.date ?? dayList[0]?.date ?? null);
  const ofDay = shown.filter((s) => s.date === day);
  const groups = new Map<number, { providerId: number; providerName: string; location: string; slots: ReturnType<typeof slotView>[] }>();
  for (const s of ofDay) {
    const group = groups.get(s.providerPersonId) ?? { providerId: s.providerPersonId, providerName: s.providerName, location: s.location, slots: [] };
    group.slots.push(slotView(s, fmt));
    groups.set(s.providerPersonId, group);
  }
  const chosen = choice.slot ? ofDay.find((s) => s.free && s.startsAt.toISOString() === choice.slot) : undefined;
  return {
    days: dayList,
    day,
    dayLabel: day ? fmt.dayOfDate(day) : null,
    providers,
    provider,
    groups: [...groups.values()],
    chosen: chosen
      ? {
          ...slotView(chosen, fmt),
          providerId: chosen.providerPersonId,
          providerName: chosen.providerName,
          location: chosen.location,
          when: fmt.range(chosen.startsAt, chosen.endsAt),
        }
      : null,
  };
}

function slotView(s: Slot, fmt: ReturnType<typeof dateFormatter>) {
  return { startsAt: s.startsAt.toISOString(), time: fmt.time(s.startsAt), free: s.free };
}

/** A person's coming consultations, as 我的预约 and the services page list them, with whether each may still be cancelled. */
export async function personConsultationsView(ctx: AuthorisedContext, personId: number, now = new Date()) {
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const [rows, services] = await Promise.all([
    listPersonConsultations(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, personId, now),
    listConsultationServices(ctx.db, ctx.station.id, { includeArchived: true }),
  ]);
  const byId = new Map(services.map((s) => [s.id, s]));
  return rows
    .filter((r) => r.status === "booked")
    .map((r) => {
      const service = byId.get(r.serviceId)!;
      return {
        id: r.id,
        service: localName(ctx.locale, service),
        when: fmt.range(r.startsAt, r.endsAt),
        provider: r.providerName,
        location: r.location,
        topic: r.topic,
        canCancel:
          consultationCancelVerdict(ctx.viewer, { ...r, bookedByAccountId: null }, { cancelDeadlineMinutes: service.cancelDeadlineMinutes }, now) ===
          "allowed",
        deadlineMinutes: service.cancelDeadlineMinutes,
      };
    });
}

const bookSchema = z.object({
  intent: z.literal("book", "field.choice"),
  startsAt: fields.instant(),
  providerId: fields.id(),
  // Staff pick whom for; everyone else books for themself (the field is absent).
  personId: fields.optionalInt(1, 2_147_483_647).optional(),
  topic: fields.optionalText(CONSULTATION.topic),
});

/** Books the chosen slot for the viewer (or, for staff, the person they found); back to the page with ?booked=. */
export async function bookFromForm(ctx: AuthorisedContext, serviceId: number, formData: FormData) {
  const parsed = parseForm(formData, bookSchema, ctx.t);
  if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors);
  const input = parsed.data;
  const personId = input.personId ?? ctx.viewer.personId;
  try {
    await requireService(ctx.db, ctx.station.id, serviceId, { live: true });
    await spendMailBudgetOf(ctx, personId);
    const booked = await bookConsultation(
      ctx.db,
      { stationId: ctx.station.id, actor: ctx.viewer },
      { serviceId, startsAt: input.startsAt, providerPersonId: input.providerId, personId, topic: input.topic },
    );
    return redirect(`/consultations/${serviceId}?booked=${booked.id}`);
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}

const cancelSchema = z.object({ intent: z.literal("cancel", "field.choice"), consultationId: fields.id() });

/** The confirmed cancel from 我的预约 or the services page; back to `backTo` with ?done=cancelled. */
export async function cancelConsultationFromForm(ctx: AuthorisedContext, formData: FormData, backTo: string) {
  const parsed = parseForm(formData, cancelSchema, ctx.t);
  if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors);
  try {
    await spendMailBudgetOf(ctx);
    await cancelConsultation(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, parsed.data.consultationId);
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
  return redirect(`${backTo}?done=cancelled`);
}
