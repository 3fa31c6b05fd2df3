import { z } from "zod";
import { callList, markCalled, tomorrowAt, unmarkCalled, type CallScope } from "#models/reach/calls";
import { offerCallList } from "#models/reach/offer-calls";
import type { AuthorisedContext } from "~/lib/guard.server";
import { dateFormatter } from "~/lib/dates.server";
import { domainFormError, fields, readForm } from "~/lib/http.server";
import { parseIntent } from "~/lib/intent.server";
import { isIsoDate } from "~/lib/fields";

/** The call list pages' shared server half (/care/calls and /manage/calls): the view model and the mark/undo actions. */

const scopeOf = (ctx: AuthorisedContext, only?: "care"): CallScope => ({
  stationId: ctx.station.id,
  timeZone: ctx.station.timeZone,
  actor: ctx.viewer,
  ...(only ? { only } : {}),
});

export async function callPage(ctx: AuthorisedContext, request: Request, only?: "care") {
  const asked = new URL(request.url).searchParams.get("date") ?? "";
  const date = isIsoDate(asked) ? asked : tomorrowAt(ctx.station.timeZone, new Date());
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const rows = await callList(ctx.db, scopeOf(ctx, only), date);
  const groups: { sessionId: number; title: string; time: string; location: string; people: CallPerson[] }[] = [];
  for (const r of rows) {
    let group = groups.at(-1);
    if (group?.sessionId !== r.sessionId) {
      group = { sessionId: r.sessionId, title: r.title, time: fmt.time(r.startsAt), location: r.location, people: [] };
      groups.push(group);
    }
    group.people.push({
      personId: r.personId,
      name: r.fullName,
      phone: r.phone,
      caretaker: r.caretaker?.fullName ?? null,
      route: r.route,
      waitlisted: r.status === "waitlisted",
      called: r.called ? { by: r.called.by, at: `${fmt.localDate(r.called.at)} ${fmt.time(r.called.at)}` } : null,
      // The marker may take it back, and staff may (the model checks again).
      mayUndo:
        r.called !== null && (r.called.byAccountId === ctx.viewer.accountId || ctx.viewer.roles.some((x) => x === "coordinator" || x === "admin")),
    });
  }
  return { date, dayLabel: fmt.dayOfDate(date), count: rows.length, groups };
}

export interface CallPerson {
  personId: number;
  name: string;
  phone: string | null;
  caretaker: string | null;
  route: "caretaker" | "booker" | "none";
  waitlisted: boolean;
  called: { by: string; at: string } | null;
  mayUndo: boolean;
}

const intents = {
  mark: z.object({ personId: fields.id(), sessionId: fields.id() }),
  unmark: z.object({ personId: fields.id(), sessionId: fields.id() }),
};

export async function callAction(ctx: AuthorisedContext, request: Request, only?: "care") {
  const parsed = parseIntent(await readForm(request, ctx.t), intents, ctx.t);
  if (!parsed.ok) return parsed.reply;
  try {
    if (parsed.intent === "mark") {
      await markCalled(ctx.db, scopeOf(ctx, only), parsed.data);
      return { ok: true as const, message: ctx.t("calls.markedOk") };
    }
    await unmarkCalled(ctx.db, scopeOf(ctx, only), parsed.data);
    return { ok: true as const, message: ctx.t("calls.unmarkedOk") };
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}

/** Consultation slots held now for people the offer mail cannot reach (ADR 26 addendum): phone them before the hold ends. */
export async function offerCallsView(ctx: AuthorisedContext, only?: "care") {
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const rows = await offerCallList(ctx.db, scopeOf(ctx, only), new Date());
  return rows.map((r) => ({
    offerId: r.offerId,
    name: r.fullName,
    phone: r.phone,
    when: `${fmt.dayOfDate(fmt.localDate(r.startsAt))} ${fmt.time(r.startsAt)}–${fmt.time(r.endsAt)}`,
    location: r.location,
    providerName: r.providerName,
    heldUntil: `${fmt.dayOfDate(fmt.localDate(r.heldUntil))} ${fmt.time(r.heldUntil)}`,
    reason: r.reason,
  }));
}
