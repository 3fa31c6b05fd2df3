import { z } from "zod";
import { MAX_INT4, TEXT, VISIT_COUNT } from "#models/limits";
import { getPerson, searchPeople } from "#models/people";
import { listServiceLines } from "#models/desk/service-lines";
import { recentVisits, tallyVisit, todaysCounts, undoVisit } from "#models/desk/visits";
import { localName } from "~/i18n";
import type { AuthorisedContext } from "~/lib/guard.server";
import { dateFormatter } from "~/lib/dates.server";
import { domainFormError, fields, formError, orPageError, parseForm } from "~/lib/http.server";
import { idOf } from "~/lib/fields";

const deskContext = (ctx: AuthorisedContext) => ({ stationId: ctx.station.id, actor: ctx.viewer });

/**
 * The drop-in tally: a button per live service line with today's count, today's latest taps to
 * undo, and — optionally — the resident the next tap is for (found by name or phone; the desk
 * sees the last four digits of a phone, as on the check-in sheet).
 */
export async function tallyView(ctx: AuthorisedContext, search: URLSearchParams) {
  const desk = deskContext(ctx);
  // todaysCounts checks the rights (staff and volunteers) before anything else is read.
  const counts = await orPageError(todaysCounts(ctx.db, desk), ctx.t);
  const q = (search.get("q") ?? "").trim().slice(0, TEXT.search);
  const personId = idOf(search.get("person") ?? undefined);
  const [lines, recent, found, person] = await Promise.all([
    listServiceLines(ctx.db, ctx.station.id),
    recentVisits(ctx.db, desk, 10),
    q ? searchPeople(ctx.db, ctx.station.id, q, 10) : Promise.resolve([]),
    personId ? getPerson(ctx.db, ctx.station.id, personId) : Promise.resolve(undefined),
  ]);
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  return {
    q,
    found: found.map((p) => ({ id: p.id, name: p.fullName, born: p.birthYear, phoneLast4: p.phone ? p.phone.slice(-4) : null })),
    person: person ? { id: person.id, name: person.fullName } : null,
    lines: lines.map((l) => ({ id: l.id, name: localName(ctx.locale, l), today: counts.get(l.id) ?? 0 })),
    total: [...counts.values()].reduce((a, b) => a + b, 0),
    recent: recent.map((v) => ({ id: v.id, name: localName(ctx.locale, v), count: v.count, at: fmt.time(v.at), mine: v.mine })),
  };
}

const schema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("tally"),
      serviceLineId: fields.id(),
      count: fields.int(VISIT_COUNT.min, VISIT_COUNT.max),
      personId: fields.optionalInt(1, MAX_INT4).default(null),
    }),
    z.object({ intent: z.literal("undo"), visitId: fields.id() }),
  ],
  "field.choice",
);

export async function tallyAction(ctx: AuthorisedContext, form: FormData) {
  const parsed = parseForm(form, schema, ctx.t);
  if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors);
  const input = parsed.data;
  try {
    if (input.intent === "tally") {
      const visit = await tallyVisit(ctx.db, deskContext(ctx), { serviceLineId: input.serviceLineId, count: input.count, personId: input.personId });
      return {
        ok: true as const,
        message: input.personId ? ctx.t("tally.doneForPerson", { count: visit.count }) : ctx.t("tally.done", { count: visit.count }),
        forPerson: input.personId !== null,
      };
    }
    await undoVisit(ctx.db, deskContext(ctx), input.visitId);
    return { ok: true as const, message: ctx.t("tally.undone") };
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}
