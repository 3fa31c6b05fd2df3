import { pickerCandidates, type PickerCandidate, type PickerClash } from "#models/rosters";
import type { AuthorisedContext, RequestContext } from "./guard.server";
import { dateFormatter } from "./dates.server";

/** People listed at once; a search narrows the rest. */
export const PICKER_LIMIT = 20;

/** Which shift's picker a GET search is for (?need=) and what it asks (?q=); anything odd a 400. */
export function parsePickerSearch(ctx: RequestContext, params: URLSearchParams): { needId: number | null; q: string } {
  const need = params.get("need");
  const q = (params.get("q") ?? "").trim();
  if (need !== null && need !== "" && !/^[1-9]\d{0,9}$/.test(need)) throw new Response(ctx.t("error.badRequest"), { status: 400 });
  if (q.length > 40) throw new Response(ctx.t("error.badRequest"), { status: 400 });
  return { needId: need ? Number(need) : null, q };
}

export type PickerMark = { kind: "free" | "assigned" | "clash" | "missingSkill"; text: string };

/**
 * One shift's picker: the people found (or, with no search, those holding the skill), each with
 * the marks the assignment would meet. Only someone free gets the button; the model still decides.
 */
export async function pickerView(
  ctx: AuthorisedContext,
  shift: { needId: number; sessionId: number; skill: string; startsAt: Date },
  search: { needId: number | null; q: string },
) {
  const q = search.needId === shift.needId ? search.q : "";
  const { candidates, more } = await pickerCandidates(ctx.db, ctx.station.id, {
    needId: shift.needId,
    sessionId: shift.sessionId,
    q,
    limit: PICKER_LIMIT,
  });
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const day = fmt.localDate(shift.startsAt);
  // On the shift's own day the times say enough; a clash reaching across midnight gets its dates.
  const when = (c: PickerClash) =>
    fmt.localDate(c.startsAt) === day && fmt.localDate(c.endsAt) === day
      ? `${fmt.time(c.startsAt)}–${fmt.time(c.endsAt)}`
      : fmt.range(c.startsAt, c.endsAt);
  const marksOf = (p: PickerCandidate): PickerMark[] => {
    if (p.assigned) return [{ kind: "assigned", text: ctx.t("picker.assigned") }];
    const marks: PickerMark[] = [];
    if (p.clash) {
      const what = ctx.t(`picker.clash.${p.clash.kind}`, { title: p.clash.title, when: when(p.clash) });
      marks.push({ kind: "clash", text: ctx.t("picker.clash", { what }) });
    }
    if (!p.qualified) marks.push({ kind: "missingSkill", text: ctx.t("picker.missingSkill", { skill: shift.skill }) });
    return marks.length ? marks : [{ kind: "free", text: ctx.t("picker.free") }];
  };
  return {
    needId: shift.needId,
    q,
    searched: q !== "",
    more,
    people: candidates.map((p) => {
      const marks = marksOf(p);
      return {
        personId: p.personId,
        name: p.specialty ? ctx.t("roster.withSpecialty", { name: p.name, specialty: p.specialty }) : p.name,
        marks,
        free: marks[0]!.kind === "free",
      };
    }),
  };
}

export type PickerView = Awaited<ReturnType<typeof pickerView>>;
