import { z } from "zod";
import { PARTY_SIZE, TEXT } from "#models/limits";
import { checkinSheet, closeCheckin, setAttendance, sheetSummary } from "#models/desk/attendance";
import { checkIn, checkInWalkIn, CHECKIN_OPENS_BEFORE_MS, undoCheckIn, type CheckinResult } from "#models/desk/checkin";
import { isStaff } from "#models/permissions";
import { requireSession } from "#models/sessions";
import type { AuthorisedContext } from "~/lib/guard.server";
import { domainFormError, fields, formError, orPageError, parseForm } from "~/lib/http.server";
import { dateFormatter } from "~/lib/dates.server";
import { recordSensitiveViews, viewOf } from "~/lib/sensitive-views.server";

const deskContext = (ctx: AuthorisedContext) => ({ stationId: ctx.station.id, actor: ctx.viewer });

/** The check-in sheet of one session: its header figures and the rows that match the search. */
export async function checkinView(ctx: AuthorisedContext, sessionId: number, query: string) {
  const q = query.trim().slice(0, TEXT.personName);
  // The sheet checks the rights (staff or the session's desk volunteer) before anything is read.
  const rows = await orPageError(checkinSheet(ctx.db, deskContext(ctx), sessionId, q), ctx.t);
  const [session, summary] = await Promise.all([requireSession(ctx.db, ctx.station.id, sessionId), sheetSummary(ctx.db, ctx.station.id, sessionId)]);
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const now = Date.now();
  // The sheet shows staff the needs of the rows found: who saw whose is recorded (ADR 22).
  await recordSensitiveViews(
    ctx.db,
    viewOf(ctx, "checkin", "needs"),
    rows.filter((r) => r.needs).map((r) => r.personId),
  );
  return {
    pageTitle: ctx.t("checkin.title", { title: session.title }),
    session: {
      id: session.id,
      title: session.title,
      when: fmt.range(session.startsAt, session.endsAt),
      location: session.location,
      cancelled: session.status === "cancelled",
      started: now >= session.startsAt.getTime(),
      opensAt: fmt.time(new Date(session.startsAt.getTime() - CHECKIN_OPENS_BEFORE_MS)),
      open: now >= session.startsAt.getTime() - CHECKIN_OPENS_BEFORE_MS,
    },
    summary: { ...summary, closedAt: summary.closedAt ? fmt.time(summary.closedAt) : null },
    staff: isStaff(ctx.viewer),
    q,
    rows,
  };
}

const f = fields;
const schema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("checkin"), personId: f.id(), attended: f.optionalInt(PARTY_SIZE.min, PARTY_SIZE.max).default(null) }),
    z.object({ intent: z.literal("undo"), personId: f.id() }),
    z.object({
      intent: z.literal("walkin"),
      fullName: f.text(TEXT.personName),
      phone: z
        .string()
        .trim()
        .regex(/^[0-9+\- ]{0,20}$/, "field.number")
        .default(""),
      birthYear: f.optionalInt(1900, new Date().getFullYear()).default(null),
      partySize: f.int(PARTY_SIZE.min, PARTY_SIZE.max),
    }),
    z.object({ intent: z.literal("close") }),
    z.object({ intent: z.literal("noshow"), signupId: f.id() }),
    z.object({ intent: z.literal("excuse"), signupId: f.id(), reason: f.text(TEXT.attendanceReason) }),
  ],
  "field.choice",
);

/** What a check-in did, in one line the desk reads aloud ("王德福 已签到，2 人"). */
function checkedInMessage(ctx: AuthorisedContext, name: string, result: CheckinResult) {
  const t = ctx.t;
  const parts = [
    result.alreadyCheckedIn ? t("checkin.already", { name }) : t("checkin.done", { name, count: result.attendedCount }),
    result.walkIn && !result.alreadyCheckedIn ? t("checkin.seatedAtDoor") : "",
    result.overCapacity ? t("checkin.overCapacity", { expected: result.expected, capacity: result.capacity }) : "",
  ];
  return parts.filter(Boolean).join(" ");
}

/** Every action of the sheet: check in, undo, seat a walk-in, close, and staff's attendance after the fact. */
export async function checkinAction(ctx: AuthorisedContext, sessionId: number, form: FormData) {
  const parsed = parseForm(form, schema, ctx.t);
  if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors);
  const input = parsed.data;
  const desk = deskContext(ctx);
  const t = ctx.t;
  try {
    switch (input.intent) {
      case "checkin": {
        const result = await checkIn(ctx.db, desk, { sessionId, personId: input.personId, attended: input.attended ?? undefined });
        return { ok: true as const, message: checkedInMessage(ctx, String(form.get("name") ?? "").slice(0, 100), result) };
      }
      case "undo": {
        const result = await undoCheckIn(ctx.db, desk, { sessionId, personId: input.personId });
        return { ok: true as const, message: result.walkInRemoved ? t("checkin.undoneWalkIn") : t("checkin.undone") };
      }
      case "walkin": {
        const result = await checkInWalkIn(ctx.db, desk, {
          sessionId,
          person: { fullName: input.fullName, phone: input.phone, birthYear: input.birthYear },
          partySize: input.partySize,
        });
        const registered = result.registered ? t("checkin.registered") : "";
        return { ok: true as const, message: `${checkedInMessage(ctx, input.fullName, result)} ${registered}`.trim() };
      }
      case "close": {
        const result = await closeCheckin(ctx.db, desk, sessionId);
        return {
          ok: true as const,
          message: result.alreadyClosed ? t("checkin.alreadyClosed") : t("checkin.closed", { attended: result.attended, noShows: result.noShows }),
        };
      }
      case "noshow":
      case "excuse": {
        await setAttendance(ctx.db, desk, {
          signupId: input.signupId,
          attendance: input.intent === "noshow" ? "no_show" : "no_show_excused",
          reason: input.intent === "excuse" ? input.reason : undefined,
        });
        return { ok: true as const, message: input.intent === "noshow" ? t("checkin.markedNoShow") : t("checkin.markedExcused") };
      }
    }
  } catch (error) {
    return domainFormError(error, t);
  }
}
