import { z } from "zod";
import { addNeed, getSessionRoster, listSkills, removeNeed } from "#models/rosters";
import { getSession } from "#models/sessions";
import { localName } from "~/i18n";
import type { AuthorisedContext } from "~/lib/guard.server";
import { dateFormatter } from "~/lib/dates.server";
import { domainFormError, formError, notFound, parseForm } from "~/lib/http.server";
import { assignFromForm, needFields, respondFromForm, rosterContext, shiftView } from "~/lib/roster.server";
import { pickerView } from "~/lib/roster-picker.server";

type PickerSearch = { needId: number | null; q: string };
const NO_SEARCH: PickerSearch = { needId: null, q: "" };

/** One session's roster: its needs (the series' ones marked), who is on each, and the forms' choices. */
export async function sessionRosterView(ctx: AuthorisedContext, sessionId: number, search: PickerSearch = NO_SEARCH, now = new Date()) {
  // The session must be this station's; the roster model scopes by station as well.
  if (!(await getSession(ctx.db, ctx.station.id, sessionId))) throw notFound(ctx.t);
  const { session, shifts } = await getSessionRoster(ctx.db, ctx.station.id, sessionId);
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const cells = [];
  for (const s of shifts) {
    const cell = { ...shiftView(ctx, s), started: s.startsAt <= now };
    // A shift with a place left, not yet begun, offers its picker (one statement each).
    const open = cell.missing > 0 && !cell.started && session.status !== "cancelled";
    cells.push({ ...cell, picker: open ? await pickerView(ctx, { ...cell, startsAt: s.startsAt }, search) : null });
  }
  return {
    session: {
      id: session.id,
      activityId: session.activityId,
      title: session.title,
      when: fmt.range(session.startsAt, session.endsAt),
      location: session.location,
      cancelled: session.status === "cancelled",
    },
    cells,
    skills: (await listSkills(ctx.db, ctx.station.id)).map((s) => ({ id: s.id, name: localName(ctx.locale, s) })),
  };
}

const addSchema = z.object({ intent: z.literal("add-need"), ...needFields, endOffsetMinutes: needFields.endOffsetMinutes.optional() });
const removeSchema = z.object({ intent: z.literal("remove-need"), needId: needFields.skillId });

/** The session roster page's forms: assign, cancel or mark attendance, add or remove a session-only need. */
export async function sessionRosterAction(ctx: AuthorisedContext, sessionId: number, form: FormData) {
  if (!(await getSession(ctx.db, ctx.station.id, sessionId))) throw notFound(ctx.t);
  const intent = form.get("intent");
  if (intent === "assign") return assignFromForm(ctx, form, sessionId);
  const { shifts } = await getSessionRoster(ctx.db, ctx.station.id, sessionId);
  if (intent === "add-need") {
    const parsed = parseForm(form, addSchema, ctx.t);
    if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors);
    const { skillId, headCount, startOffsetMinutes, endOffsetMinutes } = parsed.data;
    try {
      await addNeed(ctx.db, rosterContext(ctx), { sessionId, skillId, headCount, startOffsetMinutes, endOffsetMinutes: endOffsetMinutes ?? 0 });
      return { ok: true as const, message: ctx.t("roster.needAdded") };
    } catch (error) {
      return domainFormError(error, ctx.t);
    }
  }
  if (intent === "remove-need") {
    const parsed = parseForm(form, removeSchema, ctx.t);
    if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors);
    // Only this session's own needs go from here; a series need is changed on the series page.
    if (!shifts.some((s) => s.needId === parsed.data.needId && !s.inherited)) return formError(404, ctx.t("error.not_found"));
    try {
      await removeNeed(ctx.db, rosterContext(ctx), parsed.data.needId);
      return { ok: true as const, message: ctx.t("roster.needRemoved") };
    } catch (error) {
      return domainFormError(error, ctx.t);
    }
  }
  const mine = new Set(shifts.flatMap((s) => s.assignments.map((a) => a.id)));
  if (typeof intent === "string" && ["cancel", "attended", "no_show", "no_show_excused"].includes(intent)) return respondFromForm(ctx, form, mine);
  return formError(400, ctx.t("error.form"), { intent: ctx.t("field.choice") });
}
