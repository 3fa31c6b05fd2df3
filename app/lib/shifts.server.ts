import { DESK_SKILL_SLUG } from "#models/desk/context";
import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import { assign, hoursFor, listMyShifts, openShiftsFor, respond } from "#models/rosters";
import type { MyShift } from "#models/rosters";
import { takesShifts } from "#models/policies/shifts";
import { localName, type Translate } from "~/i18n";
import type { AuthorisedContext } from "./guard.server";
import { spendMailBudgetOf } from "./mail-budget.server";
import { dateFormatter } from "./dates.server";
import { domainFormError, fields, formError, parseForm } from "./http.server";

const DAY = 86_400_000;
/** Open shifts offered on the page: the next four weeks. */
export const OPEN_WINDOW_DAYS = 28;
/** Past shifts shown: one quarter back (the hours page has the rest). */
const PAST_DAYS = 90;

/** Only volunteers and doctors are rostered; others see an explanation, not an empty roster. */
export const isRostered = (ctx: AuthorisedContext) => takesShifts(ctx.viewer.roles);

/** The 我的排班 page: my coming shifts (with what I may do), open shifts for my skills, past shifts. */
export async function shiftsView(ctx: AuthorisedContext, now = new Date()) {
  if (!isRostered(ctx)) return { rostered: false as const, upcoming: [], past: [], open: [] };
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const [mine, open] = await Promise.all([
    listMyShifts(ctx.db, ctx.station.id, ctx.viewer.personId, { from: new Date(now.getTime() - PAST_DAYS * DAY) }),
    openShiftsFor(ctx.db, ctx.station.id, ctx.viewer.personId, { from: now, to: new Date(now.getTime() + OPEN_WINDOW_DAYS * DAY) }),
  ]);
  const view = (s: MyShift) => {
    const coming = s.startsAt > now && s.sessionStatus === "scheduled";
    return {
      id: s.assignmentId,
      sessionId: s.sessionId,
      title: s.title,
      location: s.location,
      skill: localName(ctx.locale, s.skill),
      when: fmt.range(s.startsAt, s.endsAt),
      status: s.status,
      attendance: s.attendance,
      sessionCancelled: s.sessionStatus === "cancelled",
      // What the buttons may do; the model checks again.
      canAnswer: coming && s.status === "proposed",
      canCancel: coming && s.status === "confirmed",
      // The registration desk's volunteer opens the session's check-in sheet from here.
      checkin: s.status === "confirmed" && s.sessionStatus === "scheduled" && s.skill.slug === DESK_SKILL_SLUG && s.endsAt > now,
    };
  };
  const visible = mine.filter((s) => s.status === "proposed" || s.status === "confirmed" || s.endsAt >= now);
  return {
    rostered: true as const,
    upcoming: visible
      .filter((s) => s.endsAt >= now)
      .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
      .map(view),
    past: mine
      .filter((s) => s.endsAt < now && s.status === "confirmed")
      .sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime())
      .map(view),
    open: open.map((o) => ({
      key: `${o.needId}-${o.sessionId}`,
      needId: o.needId,
      sessionId: o.sessionId,
      title: o.title,
      location: o.location,
      skill: localName(ctx.locale, o.skill),
      when: fmt.range(o.startsAt, o.endsAt),
      filled: o.filled,
      headCount: o.headCount,
    })),
  };
}

const id = () => fields.id();
const schema = z.discriminatedUnion("intent", [
  z.object({ intent: z.enum(["confirm", "decline", "cancel"]), assignmentId: id() }),
  z.object({ intent: z.literal("take"), needId: id(), sessionId: id() }),
]);

/**
 * The buttons of 我的排班. Answers act only on the viewer's own assignments (a coordinator
 * using this page cannot answer for someone else by a forged id); taking a shift assigns the
 * viewer, which the model confirms at once. A refusal names its target so the page can show
 * the reason beside the shift it concerns.
 */
export async function shiftsAction(ctx: AuthorisedContext, formData: FormData, now = new Date()) {
  const parsed = parseForm(formData, schema, ctx.t);
  if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors);
  const input = parsed.data;
  const rosterCtx = { stationId: ctx.station.id, actor: ctx.viewer, now };
  const target = input.intent === "take" ? `open-${input.needId}-${input.sessionId}` : `shift-${input.assignmentId}`;
  try {
    // Taking, confirming, declining or cancelling one's shift writes mail: limited per account.
    await spendMailBudgetOf(ctx, ctx.viewer.personId);
    if (input.intent === "take") {
      await assign(ctx.db, rosterCtx, { needId: input.needId, sessionId: input.sessionId, personId: ctx.viewer.personId });
    } else {
      const mine = await listMyShifts(ctx.db, ctx.station.id, ctx.viewer.personId, { from: new Date(now.getTime() - DAY) });
      if (!mine.some((s) => s.assignmentId === input.assignmentId)) {
        return formError(404, ctx.t("error.not_found"));
      }
      await respond(ctx.db, rosterCtx, input.assignmentId, input.intent);
    }
  } catch (error) {
    const reply = domainFormError(error, ctx.t);
    return data({ ...reply.data, target }, reply.init ?? undefined);
  }
  return redirect(`/shifts?done=${input.intent}`);
}

/** "3 小时 20 分" / "3 h 20 min"; a dash for nothing, so empty months read at a glance. */
export function formatMinutes(t: Translate, minutes: number) {
  if (minutes <= 0) return t("myHours.zero");
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? t("myHours.durationHours", { h }) : t("myHours.duration", { h, m });
}

/** A person's hours by month of one year: shifts attended and hours entered by staff kept apart. */
export async function hoursView(ctx: AuthorisedContext, personId: number, year: number) {
  const months = await hoursFor(ctx.db, ctx.station.id, personId, { year });
  const byMonth = new Map(months.map((m) => [m.month, m]));
  const rows = Array.from({ length: 12 }, (_, i) => {
    const m = byMonth.get(i + 1);
    const attended = m?.attendedMinutes ?? 0;
    const manual = m?.manualMinutes ?? 0;
    return {
      month: i + 1,
      attended: formatMinutes(ctx.t, attended),
      manual: formatMinutes(ctx.t, manual),
      total: formatMinutes(ctx.t, attended + manual),
      hasManual: manual > 0,
    };
  });
  const sum = (key: "attendedMinutes" | "manualMinutes") => months.reduce((n, m) => n + m[key], 0);
  return {
    year,
    rows,
    totals: {
      attended: formatMinutes(ctx.t, sum("attendedMinutes")),
      manual: formatMinutes(ctx.t, sum("manualMinutes")),
      total: formatMinutes(ctx.t, sum("attendedMinutes") + sum("manualMinutes")),
    },
  };
}
