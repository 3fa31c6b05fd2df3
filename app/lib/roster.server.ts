import { data } from "@remix-run/node";
import { HEAD_COUNT, SHIFT_OFFSET_MINUTES } from "#models/limits";
import { DateTime } from "luxon";
import { z } from "zod";
import { assign, qualifiedPeopleBySkill, respond, type RosterContext, type Shift } from "#models/rosters";
import { localName } from "~/i18n";
import type { AuthorisedContext, RequestContext } from "./guard.server";
import { spendMailBudgetOf } from "./mail-budget.server";
import { dateFormatter } from "./dates.server";
import { domainFormError, fields, formError, parseForm } from "./http.server";

/** The roster model's context for the signed-in staff member of this request. */
export const rosterContext = (ctx: AuthorisedContext): RosterContext => ({ stationId: ctx.station.id, actor: ctx.viewer });

const badRequest = (ctx: RequestContext, key: "roster.badWeek" | "roster.badMonth" | "roster.badRange") => new Response(ctx.t(key), { status: 400 });

/** "2026-W49" for the ISO week holding a local date. */
export const weekParam = (day: DateTime) => `${day.weekYear}-W${String(day.weekNumber).padStart(2, "0")}`;

/**
 * ?week=YYYY-Www as the Monday 00:00 of that ISO week in the station's zone; absent means
 * this week. A malformed or impossible week (2026-W54) is a 400 in the user's language.
 */
export function parseWeekParam(ctx: RequestContext, value: string | null): DateTime {
  const zone = ctx.station.timeZone;
  if (value === null || value === "") return DateTime.now().setZone(zone).startOf("week");
  const match = /^(\d{4})-W(\d{2})$/.exec(value);
  if (!match) throw badRequest(ctx, "roster.badWeek");
  const weekYear = Number(match[1]);
  const weekNumber = Number(match[2]);
  const monday = DateTime.fromObject({ weekYear, weekNumber, weekday: 1 }, { zone });
  if (!monday.isValid || weekYear < 2000 || weekYear > 2100 || monday.weekNumber !== weekNumber || monday.weekYear !== weekYear) {
    throw badRequest(ctx, "roster.badWeek");
  }
  return monday.startOf("day");
}

/** ?month=YYYY-MM as its first day, local. */
export function parseMonth(ctx: RequestContext, value: string): DateTime {
  const parsed = /^\d{4}-\d{2}$/.test(value) ? DateTime.fromFormat(value, "yyyy-MM", { zone: ctx.station.timeZone }) : null;
  if (!parsed?.isValid || parsed.year < 2000 || parsed.year > 2100) throw badRequest(ctx, "roster.badMonth");
  return parsed.startOf("month");
}

/** ?from=&to= as local dates, `to` inclusive; at most 62 days so a request cannot ask for years. */
export function parseRange(ctx: RequestContext, from: string, to: string): { from: DateTime; to: DateTime } {
  const zone = ctx.station.timeZone;
  const day = (v: string) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? DateTime.fromFormat(v, "yyyy-MM-dd", { zone }) : null);
  const start = day(from);
  const end = day(to);
  if (!start?.isValid || !end?.isValid || start.year < 2000 || end.year > 2100) throw badRequest(ctx, "roster.badRange");
  const endExclusive = end.plus({ days: 1 });
  if (endExclusive <= start || endExclusive.diff(start, "days").days > 62) throw badRequest(ctx, "roster.badRange");
  return { from: start, to: endExclusive };
}

export type ShiftView = ReturnType<typeof shiftView>;

/** One need of one session as a grid cell: text already in the viewer's language. */
export function shiftView(ctx: RequestContext, shift: Shift) {
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const active = shift.assignments.filter((a) => a.status === "proposed" || a.status === "confirmed");
  const missing = Math.max(0, shift.headCount - shift.filled);
  return {
    key: `${shift.sessionId}:${shift.needId}`,
    needId: shift.needId,
    sessionId: shift.sessionId,
    skillId: shift.skill.id,
    skill: localName(ctx.locale, shift.skill),
    required: shift.headCount,
    filled: shift.filled,
    missing,
    inherited: shift.inherited,
    time: `${fmt.time(shift.startsAt)}–${fmt.time(shift.endsAt)}`,
    people: active.map((a) => ({ id: a.id, personId: a.personId, name: a.name, status: a.status, attendance: a.attendance })),
    // Declined and cancelled rows stay visible on the session page (who said no), not on the grid.
    others: shift.assignments.filter((a) => !active.includes(a)).map((a) => ({ id: a.id, name: a.name, status: a.status })),
  };
}

/** People who may fill each of these skills, all fetched at once. */
export async function qualifiedBySkill(ctx: AuthorisedContext, skillIds: Iterable<number>) {
  const result: Record<number, { id: number; name: string }[]> = {};
  for (const [skillId, people] of await qualifiedPeopleBySkill(ctx.db, ctx.station.id, skillIds)) {
    result[skillId] = people.map((p) => ({
      id: p.id,
      name: p.specialty ? ctx.t("roster.withSpecialty", { name: p.name, specialty: p.specialty }) : p.name,
    }));
  }
  return result;
}

const ID = fields.id();
const assignSchema = z.object({ intent: z.literal("assign", "field.choice"), needId: ID, sessionId: ID, personId: ID });

/** A refusal tied to the grid cell it came from, so the page shows it next to that cell. */
function cellError(error: unknown, ctx: RequestContext, cell: string | null) {
  const reply = domainFormError(error, ctx.t);
  return data({ ...reply.data, cell }, reply.init ?? undefined);
}

/**
 * The "assign" form of a grid cell or a session page. `sessionId` pins the session when the
 * page is one session's (a form naming another session is refused as not found).
 */
export async function assignFromForm(ctx: AuthorisedContext, formData: FormData, pinnedSessionId?: number) {
  const parsed = parseForm(formData, assignSchema, ctx.t);
  const cellOf = () => `${String(formData.get("sessionId") ?? "")}:${String(formData.get("needId") ?? "")}`;
  if (!parsed.ok)
    return data({ ok: false as const, formError: ctx.t("error.form"), fieldErrors: parsed.fieldErrors, cell: cellOf() }, { status: 400 });
  const input = parsed.data;
  if (pinnedSessionId !== undefined && input.sessionId !== pinnedSessionId) {
    return data({ ok: false as const, formError: ctx.t("error.not_found"), fieldErrors: {}, cell: cellOf() }, { status: 404 });
  }
  try {
    await spendMailBudgetOf(ctx, input.personId);
    const result = await assign(ctx.db, rosterContext(ctx), { needId: input.needId, sessionId: input.sessionId, personId: input.personId });
    return {
      ok: true as const,
      intent: "assign" as const,
      assignmentId: result.id,
      warnings: result.warnings.map((w) => ctx.t(`roster.warning.${w}`)),
      cell: cellOf(),
    };
  } catch (error) {
    return cellError(error, ctx, cellOf());
  }
}

const respondSchema = z.object({
  intent: z.enum(["cancel", "attended", "no_show", "no_show_excused"], "field.choice"),
  assignmentId: ID,
});

/** Cancel an assignment or record attendance; `allowed` are the assignment ids of this page. */
export async function respondFromForm(ctx: AuthorisedContext, formData: FormData, allowed: ReadonlySet<number>) {
  const parsed = parseForm(formData, respondSchema, ctx.t);
  if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors);
  if (!allowed.has(parsed.data.assignmentId)) return formError(404, ctx.t("error.not_found"));
  try {
    // A cancel mails the person; marking attendance sends nothing.
    if (parsed.data.intent === "cancel") await spendMailBudgetOf(ctx);
    await respond(ctx.db, rosterContext(ctx), parsed.data.assignmentId, parsed.data.intent);
    return { ok: true as const, intent: parsed.data.intent, message: ctx.t(parsed.data.intent === "cancel" ? "roster.cancelled" : "roster.marked") };
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}

/** The fields of a need form: skill (when adding), head count and the minutes around the session. */
export const needFields = {
  skillId: ID,
  headCount: fields.int(HEAD_COUNT.min, HEAD_COUNT.max),
  startOffsetMinutes: fields.int(SHIFT_OFFSET_MINUTES.min, SHIFT_OFFSET_MINUTES.max),
  endOffsetMinutes: fields.int(SHIFT_OFFSET_MINUTES.min, SHIFT_OFFSET_MINUTES.max),
};
