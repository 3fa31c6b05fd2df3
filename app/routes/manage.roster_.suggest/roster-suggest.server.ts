import { createHash } from "node:crypto";
import type { DateTime } from "luxon";
import { weekShifts } from "#models/rosters";
import { suggestForRange } from "#models/rosters/suggest-input";
import type { Proposal } from "#models/rosters/suggest";
import { localName, type MessageKey } from "~/i18n";
import type { AuthorisedContext } from "~/lib/guard.server";
import { dateFormatter } from "~/lib/dates.server";
import { qualifiedBySkill } from "~/lib/roster.server";

export interface ItemKey {
  needId: number;
  sessionId: number;
  personId: number;
}

export const itemValue = (i: ItemKey) => `${i.needId}:${i.sessionId}:${i.personId}`;

/**
 * A fingerprint of the proposal's assignments. The page posts it back with the accept, and
 * the action recomputes the proposal: a different fingerprint means the coordinator did not
 * see what would be assigned, so nothing is.
 */
export function proposalHash(items: readonly ItemKey[]): string {
  const keys = items.map(itemValue).sort();
  return createHash("sha256").update(keys.join("|")).digest("hex").slice(0, 32);
}

const REASONS = ["blackout", "unavailable", "conflict", "weekly_max", "already_on_this_shift"] as const;

/** Why an open place stays open, in words: how many qualified people each rule ruled out. */
function reasonText(ctx: AuthorisedContext, rejections: Proposal["open"][number]["rejections"]): string {
  const counts = new Map<string, number>();
  for (const r of rejections) if (r.reason !== "not_qualified") counts.set(r.reason, (counts.get(r.reason) ?? 0) + 1);
  if (counts.size === 0) return ctx.t("roster.reason.nobody");
  return REASONS.filter((r) => counts.has(r))
    .map((r) => ctx.t(`roster.reason.${r}` as MessageKey, { count: counts.get(r)! }))
    .join(ctx.t("roster.reasonJoin"));
}

/** The proposal for local dates [from, to) as the suggestion page shows it, with its fingerprint. */
export async function suggestionView(ctx: AuthorisedContext, from: DateTime, to: DateTime) {
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const proposal = await suggestForRange(ctx.db, ctx.station.id, { from: from.toJSDate(), to: to.toJSDate() });
  // Titles and skill names come from the same roster the grid shows.
  const { sessions, shifts } = await weekShifts(ctx.db, ctx.station.id, from.toJSDate(), to.toJSDate());
  const sessionById = new Map(sessions.map((s) => [s.id, s]));
  const skillOf = (sessionId: number, needId: number) => {
    const shift = shifts.get(sessionId)?.find((s) => s.needId === needId);
    return shift ? localName(ctx.locale, shift.skill) : "";
  };
  const skillIds = [...shifts.values()].flat().map((s) => s.skill.id);
  const qualified = await qualifiedBySkill(ctx, skillIds);
  const names = new Map(
    Object.values(qualified)
      .flat()
      .map((p) => [p.id, p.name]),
  );
  const describe = (sessionId: number, startsAt: Date, endsAt: Date) => ({
    date: fmt.day(startsAt),
    time: `${fmt.time(startsAt)}–${fmt.time(endsAt)}`,
    title: sessionById.get(sessionId)?.title ?? "",
  });
  return {
    hash: proposalHash(proposal.items),
    items: proposal.items.map((i) => ({
      value: itemValue(i),
      ...describe(i.sessionId, i.startsAt, i.endsAt),
      skill: skillOf(i.sessionId, i.needId),
      name: names.get(i.personId) ?? `#${i.personId}`,
    })),
    open: proposal.open.map((o) => ({
      key: `${o.sessionId}:${o.needId}`,
      ...describe(o.sessionId, o.startsAt, o.endsAt),
      skill: skillOf(o.sessionId, o.needId),
      text: ctx.t("roster.openCount", { count: o.open, reasons: reasonText(ctx, o.rejections) }),
    })),
    keys: proposal.items.map((i) => ({ needId: i.needId, sessionId: i.sessionId, personId: i.personId })),
  };
}
