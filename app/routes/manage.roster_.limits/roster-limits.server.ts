import { redirect } from "@remix-run/node";
import { z } from "zod";
import { setPersonWeeklyLimit, setStationWeeklyLimit, weeklyLimits } from "#models/rosters/limits";
import { InvalidRosterInput } from "#models/rosters/errors";
import type { AuthorisedContext } from "~/lib/guard.server";
import { domainFormError, fields, formError, parseForm } from "~/lib/http.server";
import { findPeople } from "~/lib/shifts-admin.server";

/** The weekly limits page: the station's default, the people with their own, and a search to add one. */
export async function limitsView(ctx: AuthorisedContext, url: URL) {
  const query = (url.searchParams.get("q") ?? "").slice(0, 40);
  const limits = await weeklyLimits(ctx.db, ctx.station.id);
  return { ...limits, query, found: query ? await findPeople(ctx, query) : [] };
}

const hours = z.coerce.number({ message: "limits.hoursRange" }).int("limits.hoursRange").min(1, "limits.hoursRange").max(60, "limits.hoursRange");
const schema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("station"), hours }),
  z.object({ intent: z.literal("person"), personId: fields.id(), hours }),
  z.object({ intent: z.literal("clear"), personId: fields.id() }),
]);

export async function limitsAction(ctx: AuthorisedContext, formData: FormData) {
  const parsed = parseForm(formData, schema, ctx.t);
  if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors);
  const roster = { stationId: ctx.station.id, actor: ctx.viewer };
  const input = parsed.data;
  try {
    if (input.intent === "station") await setStationWeeklyLimit(ctx.db, roster, input.hours);
    else await setPersonWeeklyLimit(ctx.db, roster, input.personId, input.intent === "clear" ? null : input.hours);
  } catch (error) {
    if (error instanceof InvalidRosterInput) return formError(400, ctx.t("error.form"), { hours: ctx.t("limits.hoursRange") });
    return domainFormError(error, ctx.t);
  }
  return redirect("/manage/roster/limits?saved=1");
}
