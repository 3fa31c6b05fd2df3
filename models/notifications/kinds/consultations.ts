import { eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { consultations, people, stations, type NotificationKind } from "../../db/schema";
import { consultationOfferTexts, consultationTexts, mailTexts, subjectTimeFormat, type ConsultationKindText } from "../catalog";
import { fmt, span } from "../format";
import { layout } from "../layout";
import type { RenderOutcome, Renderer } from "../render";

/**
 * Consultation mails (rows written by models/consultations/bookings.ts), one to the client and
 * one to the provider (`payload.role`). The subject is "咨询预约 · <time>" and the body says
 * when, where and with whom: never the topic or the service.
 */
const provider = alias(people, "provider");
const client = alias(people, "client");

function renderer(kind: ConsultationKindText): Renderer {
  return async (ctx): Promise<RenderOutcome> => {
    if (!ctx.row.consultationId) return { skip: "no_consultation" };
    const [c] = await ctx.db
      .select({
        status: consultations.status,
        startsAt: consultations.startsAt,
        endsAt: consultations.endsAt,
        location: consultations.location,
        providerName: provider.fullName,
        clientName: client.fullName,
        zone: stations.timeZone,
        stationNameZh: stations.nameZh,
        stationNameEn: stations.nameEn,
      })
      .from(consultations)
      .innerJoin(provider, eq(provider.id, consultations.providerPersonId))
      .innerJoin(client, eq(client.id, consultations.personId))
      .innerJoin(stations, eq(stations.id, consultations.stationId))
      .where(eq(consultations.id, ctx.row.consultationId));
    if (!c) return { skip: "no_consultation" };
    // A booking cancelled before its confirmation went out: only the cancellation is news.
    if (kind !== "consultation_cancelled" && c.status !== "booked") return { skip: "consultation_cancelled" };
    const locale = ctx.recipient.locale;
    const t = mailTexts(locale);
    const s = consultationTexts(locale);
    const asked = (ctx.row.payload as { role?: string } | null)?.role;
    const role = asked === "provider" || asked === "booker" ? asked : "client";
    const when = fmt(c.startsAt, c.zone, locale, subjectTimeFormat[locale]);
    const subject = `${s.subject[kind]} · ${when}`;
    const url = `${ctx.settings.publicUrl}${role === "provider" ? "/my/consultations" : "/bookings"}`;
    const body = layout({
      recipient: ctx.recipient,
      lead: s.lead[role][kind],
      facts: [
        [t.when, span(c.startsAt, c.endsAt, c.zone, locale)],
        [t.where, c.location],
        ...(role === "client" ? [] : [[s.client, c.clientName] as [string, string]]),
        ...(role === "provider" ? [] : [[s.with, c.providerName] as [string, string]]),
      ],
      link: { label: role === "provider" ? s.provided : s.mine, url },
      unsubscribeUrl: ctx.unsubscribeUrl,
      stationName: locale === "en" ? c.stationNameEn : c.stationNameZh,
    });
    return { mail: { subject, ...body } };
  };
}

/** The slot an offer mail is about: when, where, with whom, and whether it is still held. */
async function offeredSlot(ctx: Parameters<Renderer>[0]) {
  if (!ctx.row.consultationId) return null;
  const [c] = await ctx.db
    .select({
      status: consultations.status,
      heldUntil: consultations.heldUntil,
      startsAt: consultations.startsAt,
      endsAt: consultations.endsAt,
      location: consultations.location,
      providerName: provider.fullName,
      zone: stations.timeZone,
      stationNameZh: stations.nameZh,
      stationNameEn: stations.nameEn,
    })
    .from(consultations)
    .innerJoin(provider, eq(provider.id, consultations.providerPersonId))
    .innerJoin(stations, eq(stations.id, consultations.stationId))
    .where(eq(consultations.id, ctx.row.consultationId));
  return c ?? null;
}

type OfferedSlot = NonNullable<Awaited<ReturnType<typeof offeredSlot>>>;

/** An offer mail names the slot by its time, place and provider, then adds what this mail is about. */
function offerMail(
  ctx: Parameters<Renderer>[0],
  c: OfferedSlot,
  mail: { subject: string; lead: string; facts: [string, string][]; link: { label: string; url: string } },
): RenderOutcome {
  const locale = ctx.recipient.locale;
  const t = mailTexts(locale);
  const s = consultationTexts(locale);
  const body = layout({
    recipient: ctx.recipient,
    lead: mail.lead,
    facts: [[t.when, span(c.startsAt, c.endsAt, c.zone, locale)], [t.where, c.location], [s.with, c.providerName], ...mail.facts],
    link: mail.link,
    unsubscribeUrl: ctx.unsubscribeUrl,
    stationName: locale === "en" ? c.stationNameEn : c.stationNameZh,
  });
  return { mail: { subject: `${mail.subject} · ${fmt(c.startsAt, c.zone, locale, subjectTimeFormat[locale])}`, ...body } };
}

/** The waitlist's offer (ADR 26), to the person a freed slot is held for, while it still is. */
const offer: Renderer = async (ctx): Promise<RenderOutcome> => {
  const c = await offeredSlot(ctx);
  if (!c) return { skip: "no_consultation" };
  // Accepted, declined or passed on before the mail went: nothing to offer any more.
  if (c.status !== "held" || !c.heldUntil) return { skip: "offer_gone" };
  const locale = ctx.recipient.locale;
  const o = consultationOfferTexts(locale);
  return offerMail(ctx, c, {
    subject: o.subject,
    lead: o.lead,
    facts: [[o.heldUntil, fmt(c.heldUntil, c.zone, locale, subjectTimeFormat[locale])]],
    link: { label: o.answer, url: `${ctx.settings.publicUrl}/consultations/offers/${ctx.row.consultationId}` },
  });
};

/**
 * The slot held for them went with a change of the provider's hours (ADR 26 addendum), after
 * the offer had been mailed: it is off, and they keep their place. Time, place and provider only.
 */
const offerWithdrawn: Renderer = async (ctx): Promise<RenderOutcome> => {
  const c = await offeredSlot(ctx);
  if (!c) return { skip: "no_consultation" };
  const o = consultationOfferTexts(ctx.recipient.locale);
  return offerMail(ctx, c, {
    subject: o.withdrawnSubject,
    lead: o.withdrawnLead,
    facts: [],
    link: { label: o.waitlist, url: `${ctx.settings.publicUrl}/bookings` },
  });
};

export const renderers: Partial<Record<NotificationKind, Renderer>> = {
  consultation_offer: offer,
  consultation_offer_withdrawn: offerWithdrawn,
  consultation_booked: renderer("consultation_booked"),
  consultation_cancelled: renderer("consultation_cancelled"),
  consultation_reminder: renderer("consultation_reminder"),
};
