import { z } from "zod";
import { VISIT_COUNT } from "#models/limits";
import { listServiceLines } from "#models/desk/service-lines";
import { recentVisits, tallyVisit, todaysCounts, undoVisit } from "#models/desk/visits";
import { localName } from "~/i18n";
import type { AuthorisedContext } from "./guard.server";
import { dateFormatter } from "./dates.server";
import { domainFormError, fields, formError, orPageError, parseForm } from "./http.server";

const deskContext = (ctx: AuthorisedContext) => ({ stationId: ctx.station.id, actor: ctx.viewer });

/** The drop-in tally: a button per live service line with today's count, and today's latest taps to undo. */
export async function tallyView(ctx: AuthorisedContext) {
  const desk = deskContext(ctx);
  // todaysCounts checks the rights (staff and volunteers) before anything else is read.
  const counts = await orPageError(todaysCounts(ctx.db, desk), ctx.t);
  const [lines, recent] = await Promise.all([listServiceLines(ctx.db, ctx.station.id), recentVisits(ctx.db, desk, 10)]);
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  return {
    lines: lines.map((l) => ({ id: l.id, name: localName(ctx.locale, l), today: counts.get(l.id) ?? 0 })),
    total: [...counts.values()].reduce((a, b) => a + b, 0),
    recent: recent.map((v) => ({ id: v.id, name: localName(ctx.locale, v), count: v.count, at: fmt.time(v.at), mine: v.mine })),
  };
}

const schema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("tally"), serviceLineId: fields.id(), count: fields.int(VISIT_COUNT.min, VISIT_COUNT.max) }),
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
      const visit = await tallyVisit(ctx.db, deskContext(ctx), { serviceLineId: input.serviceLineId, count: input.count });
      return { ok: true as const, message: ctx.t("tally.done", { count: visit.count }) };
    }
    await undoVisit(ctx.db, deskContext(ctx), input.visitId);
    return { ok: true as const, message: ctx.t("tally.undone") };
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}
