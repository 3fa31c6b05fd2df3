import { z } from "zod";
import { addNeed, listActivityNeeds, listSkills, removeNeed, updateNeed } from "#models/rosters";
import { getActivity } from "#models/activities";
import { localName } from "~/i18n";
import type { AuthorisedContext } from "~/lib/guard.server";
import { domainFormError, formError, notFound } from "~/lib/http.server";
import { parseIntent } from "~/lib/intent.server";
import { needFields, rosterContext } from "~/lib/roster.server";

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
const intents = {
  add: z.object({ skillId, headCount, startOffsetMinutes, endOffsetMinutes }),
  update: z.object({ needId: skillId, headCount, startOffsetMinutes, endOffsetMinutes }),
  remove: z.object({ needId: skillId }),
};

/** Add, change or remove a need of the series; a need of another series (or station) is not found. */
export async function seriesNeedsAction(ctx: AuthorisedContext, activityId: number, form: FormData) {
  await requireSeries(ctx, activityId);
  const parsed = parseIntent(form, intents, ctx.t);
  if (!parsed.ok) return parsed.reply;
  const rctx = rosterContext(ctx);
  try {
    if (parsed.intent === "add") {
      await addNeed(ctx.db, rctx, { activityId, ...parsed.data });
      return { ok: true as const, message: ctx.t("roster.needAdded") };
    }
    const ours = await listActivityNeeds(ctx.db, ctx.station.id, activityId);
    const { needId } = parsed.data;
    if (!ours.some((n) => n.id === needId)) return formError(404, ctx.t("error.not_found"));
    if (parsed.intent === "update") {
      const { headCount, startOffsetMinutes, endOffsetMinutes } = parsed.data;
      await updateNeed(ctx.db, rctx, needId, { headCount, startOffsetMinutes, endOffsetMinutes });
      return { ok: true as const, message: ctx.t("roster.needSaved") };
    }
    await removeNeed(ctx.db, rctx, needId);
    return { ok: true as const, message: ctx.t("roster.needRemoved") };
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}
