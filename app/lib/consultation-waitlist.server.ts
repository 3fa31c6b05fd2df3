import { redirect } from "@remix-run/node";
import { z } from "zod";
import {
  joinWaitlist,
  leaveWaitlist,
  listPersonWaitlist,
  listServiceWaitlist,
  waitlistDays,
  type WaitlistView,
} from "#models/consultations/waitlist";
import { acceptOffer, declineOffer, getOffer } from "#models/consultations/offers";
import type { ConsultationService } from "#models/consultations/services";
import { CONSULTATION } from "#models/limits";
import { localName } from "~/i18n";
import type { AuthorisedContext } from "./guard.server";
import { dateFormatter } from "./dates.server";
import { domainErrorOf } from "#models/errors";
import { domainMessage } from "./domain-error.server";
import { domainFormError, fields, formError, parseForm } from "./http.server";
import { spendMailBudgetOf } from "./mail-budget.server";

/**
 * The consultation waitlist's pages (ADR 26): "有空位时通知我" on a service's page, the
 * person's entries and held slots beside their consultations, the offer's page, staff's lines.
 */

function entryView(ctx: AuthorisedContext, e: WaitlistView) {
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  return {
    id: e.id,
    serviceId: e.serviceId,
    service: ctx.locale === "en" ? e.serviceNameEn : e.serviceNameZh,
    person: e.personName,
    days: e.fromDate === e.toDate ? fmt.dayOfDate(e.fromDate) : `${fmt.dayOfDate(e.fromDate)} – ${fmt.dayOfDate(e.toDate)}`,
    offer: e.offer
      ? {
          id: e.offer.id,
          when: fmt.range(e.offer.startsAt, e.offer.endsAt),
          provider: e.offer.providerName,
          location: e.offer.location,
          heldUntil: `${fmt.day(e.offer.heldUntil)} ${fmt.time(e.offer.heldUntil)}`,
        }
      : null,
  };
}
export type WaitlistEntryView = ReturnType<typeof entryView>;

/** The person's active entries, each with the slot held for it, if any. */
export async function personWaitlistView(ctx: AuthorisedContext, personId: number) {
  const rows = await listPersonWaitlist(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, personId);
  return rows.map((e) => entryView(ctx, e));
}

/** For the service's page: the viewer's entry for it, and the days the form offers by default. */
export async function serviceWaitlistView(ctx: AuthorisedContext, service: ConsultationService, now = new Date()) {
  const entry = (await personWaitlistView(ctx, ctx.viewer.personId)).find((e) => e.serviceId === service.id) ?? null;
  return { entry, defaults: waitlistDays(service, ctx.station.timeZone, now, {}) };
}

/** Staff: every live service's line, first in line first. */
export async function stationWaitlistsView(ctx: AuthorisedContext, services: ConsultationService[]) {
  return Promise.all(
    services.map(async (s) => ({
      id: s.id,
      name: localName(ctx.locale, s),
      entries: (await listServiceWaitlist(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, s.id)).map((e) => entryView(ctx, e)),
    })),
  );
}

const waitSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("wait"),
    // The model checks the days (and says what is wrong in the reader's language); "" is the default.
    fromDate: z.string().trim().max(10).optional(),
    toDate: z.string().trim().max(10).optional(),
  }),
  z.object({ intent: z.literal("leave") }),
]);

/**
 * "有空位时通知我" and "退出候补" for oneself, from a service's page; back there with ?waiting=.
 * A refusal echoes its intent (`values.intent`), so the page shows it by the waitlist's form.
 */
export async function waitlistFromForm(ctx: AuthorisedContext, serviceId: number, formData: FormData) {
  const parsed = parseForm(formData, waitSchema, ctx.t);
  if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors, { intent: "wait" });
  const scope = { stationId: ctx.station.id, actor: ctx.viewer };
  const personId = ctx.viewer.personId;
  try {
    if (parsed.data.intent === "leave") {
      await leaveWaitlist(ctx.db, scope, { serviceId, personId });
      return redirect(`/consultations/${serviceId}?waiting=left`);
    }
    await spendMailBudgetOf(ctx, personId);
    await joinWaitlist(ctx.db, scope, { serviceId, personId, fromDate: parsed.data.fromDate || undefined, toDate: parsed.data.toDate || undefined });
    return redirect(`/consultations/${serviceId}?waiting=joined`);
  } catch (error) {
    const domain = domainErrorOf(error);
    if (!domain) throw error;
    return formError(domain.status, domainMessage(domain, ctx.t), {}, { intent: parsed.data.intent });
  }
}

/** A held slot as its page shows it. */
export async function offerView(ctx: AuthorisedContext, id: number) {
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const o = await getOffer(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, id);
  return {
    id: o.id,
    serviceId: o.serviceId,
    service: ctx.locale === "en" ? o.serviceNameEn : o.serviceNameZh,
    person: o.personName,
    self: o.personId === ctx.viewer.personId,
    when: fmt.range(o.startsAt, o.endsAt),
    provider: o.providerName,
    location: o.location,
    heldUntil: `${fmt.day(o.heldUntil)} ${fmt.time(o.heldUntil)}`,
  };
}

const answerSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("accept"), topic: fields.optionalText(CONSULTATION.topic) }),
  z.object({ intent: z.literal("decline") }),
]);

/** Books or lets go of a held slot; booked, to the service's page with ?booked=; declined, to 我的预约. */
export async function answerOfferFromForm(ctx: AuthorisedContext, id: number, formData: FormData) {
  const parsed = parseForm(formData, answerSchema, ctx.t);
  if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors);
  const scope = { stationId: ctx.station.id, actor: ctx.viewer };
  try {
    if (parsed.data.intent === "decline") {
      await declineOffer(ctx.db, scope, id);
      return redirect("/bookings?done=declined");
    }
    await spendMailBudgetOf(ctx);
    const offer = await getOffer(ctx.db, scope, id);
    await acceptOffer(ctx.db, scope, id, { topic: parsed.data.topic });
    return redirect(`/consultations/${offer.serviceId}?booked=${id}`);
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}
