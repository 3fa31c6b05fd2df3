import { z } from "zod";
import { addNeed, listActivityNeeds, listSkills, removeNeed, updateNeed } from "#models/rosters";
import { getActivity } from "#models/activities";
import { localName } from "~/i18n";
import type { AuthorisedContext } from "./guard.server";
import { domainFormError, formError, notFound, parseForm } from "./http.server";
import { needFields, rosterContext } from "./roster.server";

async function requireSeries(ctx: AuthorisedContext, activityId: number) {
  const activity = await getActivity(ctx.db, ctx.station.id, activityId, ctx.station.timeZone);
  if (!activity) throw notFound(ctx.t);
  return activity;
}

/** A series' needs, which every session of it inherits, and the skills to choose from. */
export async function seriesNeedsView(ctx: AuthorisedContext, activityId: number) {
  const activity = await requireSeries(ctx, activityId);
  const needs = await listActivityNeeds(ctx.db, ctx.station.id, activityId);
  return {
    activity: { id: activity.id, title: activity.title },
    needs: needs.map((n) => ({
      id: n.id,
      skill: localName(ctx.locale, n.skill),
      headCount: n.headCount,
      startOffsetMinutes: n.startOffsetMinutes,
      endOffsetMinutes: n.endOffsetMinutes,
    })),
    skills: (await listSkills(ctx.db, ctx.station.id)).map((s) => ({ id: s.id, name: localName(ctx.locale, s) })),
  };
}

const { skillId, headCount, startOffsetMinutes, endOffsetMinutes } = needFields;
const addSchema = z.object({ intent: z.literal("add"), skillId, headCount, startOffsetMinutes, endOffsetMinutes });
const updateSchema = z.object({ intent: z.literal("update"), needId: skillId, headCount, startOffsetMinutes, endOffsetMinutes });
const removeSchema = z.object({ intent: z.literal("remove"), needId: skillId });

/** Add, change or remove a need of the series; a need of another series (or station) is not found. */
export async function seriesNeedsAction(ctx: AuthorisedContext, activityId: number, form: FormData) {
  await requireSeries(ctx, activityId);
  const intent = form.get("intent");
  const schema = intent === "add" ? addSchema : intent === "update" ? updateSchema : intent === "remove" ? removeSchema : null;
  if (!schema) return formError(400, ctx.t("error.form"), { intent: ctx.t("field.choice") });
  const parsed = parseForm(form, schema, ctx.t);
  if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors);
  const input = parsed.data;
  const rctx = rosterContext(ctx);
  try {
    if (input.intent === "add") {
      await addNeed(ctx.db, rctx, {
        activityId,
        skillId: input.skillId,
        headCount: input.headCount,
        startOffsetMinutes: input.startOffsetMinutes,
        endOffsetMinutes: input.endOffsetMinutes,
      });
      return { ok: true as const, message: ctx.t("roster.needAdded") };
    }
    const ours = await listActivityNeeds(ctx.db, ctx.station.id, activityId);
    if (!ours.some((n) => n.id === input.needId)) return formError(404, ctx.t("error.not_found"));
    if (input.intent === "update") {
      await updateNeed(ctx.db, rctx, input.needId, {
        headCount: input.headCount,
        startOffsetMinutes: input.startOffsetMinutes,
        endOffsetMinutes: input.endOffsetMinutes,
      });
      return { ok: true as const, message: ctx.t("roster.needSaved") };
    }
    await removeNeed(ctx.db, rctx, input.needId);
    return { ok: true as const, message: ctx.t("roster.needRemoved") };
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}
