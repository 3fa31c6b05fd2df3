/**
 * Roster suggestion: a pure function from open shifts and the people who might take them to a
 * proposal. No database and no clock, so the same input always gives the same proposal and a
 * unit test can state every rule. The coordinator accepts the proposal (acceptProposal in
 * suggest-input.ts) or adjusts it; nothing here assigns anyone.
 *
 * Greedy in time order: slots by shift start, then need id, then session id; each place goes
 * to the eligible person with the fewest minutes this month (counting what this proposal has
 * already given them), then the fewest this ISO week, then the lowest person id. Then, for a
 * place still open, one exchange is tried: someone kept out only by one shift of this proposal
 * (overlapping, or filling their weekly maximum) moves here and that shift goes to the fairest
 * other eligible person (a helper who is also the only nurse should nurse). A slot left open
 * carries, for every candidate, the first rule that rules them out against the final
 * proposal, so a reader (and a test) can see that nobody eligible was left unused.
 */
import { DateTime } from "luxon";
import { coversPart, dayParts, mergeWindows, type AvailabilityWindow, type DayPart } from "./availability-windows";

// Shared with assign's availability warning, so both read windows the same way.
export { clockMinutes, type AvailabilityWindow } from "./availability-windows";

export type RejectionReason = "not_qualified" | "already_on_this_shift" | "blackout" | "unavailable" | "conflict" | "weekly_max";

/** One need of one session with places still open. */
export interface SuggestSlot {
  needId: number;
  sessionId: number;
  skillId: number;
  /** The shift: the session's start minus the set-up minutes … its end plus the clear-up minutes. */
  startsAt: Date;
  endsAt: Date;
  /** Places still open (head count minus active assignments). */
  open: number;
  /** The session as the coordinator sees it, in the station's zone (carried through for display). */
  session: { title?: string; localDate: string; weekday: number; startTime: string; endTime: string };
}

/** Local dates, both inclusive (YYYY-MM-DD). */
export interface BlackoutRange {
  fromDate: string;
  toDate: string;
}

/** Time a person has already promised: an active assignment or an attendee booking. */
export interface Commitment {
  kind: "assignment" | "signup";
  sessionId: number;
  /** Set for assignments: the need they fill. */
  needId?: number;
  startsAt: Date;
  endsAt: Date;
}

export interface SuggestCandidate {
  personId: number;
  name: string;
  /** Skills that count: unrestricted ones, and restricted ones a coordinator confirmed. */
  skillIds: number[];
  /**
   * Declared weekly windows. None declared means no constraint — the same reading as assign's
   * "outside availability" warning — so members who never filled the form can still be asked.
   */
  availability: AvailabilityWindow[];
  blackouts: BlackoutRange[];
  commitments: Commitment[];
  /** Minutes already rostered (active assignments), by station-local month "2026-12". */
  minutesByMonth: Record<string, number>;
  /** Minutes already rostered, by station-local ISO week "2026-W49". */
  minutesByWeek: Record<string, number>;
  weeklyMaxMinutes: number;
}

export interface SuggestInput {
  timeZone: string;
  slots: SuggestSlot[];
  candidates: SuggestCandidate[];
}

export interface ProposalItem {
  needId: number;
  sessionId: number;
  personId: number;
  startsAt: Date;
  endsAt: Date;
  minutes: number;
}

export type RejectionDetail =
  { kind: "assignment" | "signup" | "proposal"; sessionId: number; needId?: number } | { weekMinutes: number; maxMinutes: number };

export interface CandidateRejection {
  personId: number;
  reason: RejectionReason;
  /** What the conflict was with, or the week's minutes against the maximum. */
  detail?: RejectionDetail;
}

export interface OpenSlot {
  needId: number;
  sessionId: number;
  skillId: number;
  startsAt: Date;
  endsAt: Date;
  session: SuggestSlot["session"];
  /** Places this proposal could not fill. */
  open: number;
  /** Every candidate, by person id, with the first rule that rules them out given the whole proposal. */
  rejections: CandidateRejection[];
}

export interface Proposal {
  items: ProposalItem[];
  open: OpenSlot[];
  /** Minutes this proposal gives each person it uses, by person id ascending. */
  proposedMinutes: { personId: number; minutes: number }[];
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

export function monthKey(local: DateTime): string {
  return `${local.year}-${pad2(local.month)}`;
}

export function isoWeekKey(local: DateTime): string {
  return `${local.weekYear}-W${pad2(local.weekNumber)}`;
}

interface PreparedSlot {
  slot: SuggestSlot;
  start: number;
  end: number;
  minutes: number;
  month: string;
  week: string;
  parts: DayPart[];
}

interface Person {
  input: SuggestCandidate;
  skills: Set<number>;
  /** Per weekday (index 1 … 7): merged, sorted windows in minutes; null when none declared. */
  windows: [number, number][][] | null;
  blackouts: BlackoutRange[];
  commitments: { kind: "assignment" | "signup"; sessionId: number; needId?: number; start: number; end: number }[];
  month: Map<string, number>;
  week: Map<string, number>;
  /** The slots this proposal gives them so far. */
  given: PreparedSlot[];
}

function prepareSlot(slot: SuggestSlot, zone: string): PreparedSlot {
  const start = DateTime.fromJSDate(slot.startsAt, { zone });
  const end = DateTime.fromJSDate(slot.endsAt, { zone });
  if (!start.isValid || !end.isValid) throw new Error(`suggestRoster: invalid zone or instant (${zone})`);
  return {
    slot,
    start: slot.startsAt.getTime(),
    end: slot.endsAt.getTime(),
    minutes: Math.round((slot.endsAt.getTime() - slot.startsAt.getTime()) / 60_000),
    month: monthKey(start),
    week: isoWeekKey(start),
    parts: dayParts(start, end),
  };
}

function preparePerson(c: SuggestCandidate): Person {
  return {
    input: c,
    skills: new Set(c.skillIds),
    windows: c.availability.length ? mergeWindows(c.availability) : null,
    blackouts: c.blackouts,
    commitments: c.commitments.map((k) => ({
      kind: k.kind,
      sessionId: k.sessionId,
      needId: k.needId,
      start: k.startsAt.getTime(),
      end: k.endsAt.getTime(),
    })),
    month: new Map(Object.entries(c.minutesByMonth)),
    week: new Map(Object.entries(c.minutesByWeek)),
    given: [],
  };
}

function covered(p: Person, part: DayPart): boolean {
  return !p.windows || coversPart(p.windows, part);
}

/** The first rule that rules the person out of the slot, or null when they may take it. */
function rejection(p: Person, s: PreparedSlot): Omit<CandidateRejection, "personId"> | null {
  const { needId, sessionId, skillId } = s.slot;
  if (!p.skills.has(skillId)) return { reason: "not_qualified" };
  for (const k of p.commitments) {
    if (k.kind === "assignment" && k.needId === needId && k.sessionId === sessionId)
      return { reason: "already_on_this_shift", detail: { kind: "assignment", sessionId, needId } };
  }
  for (const g of p.given) {
    if (g.slot.needId === needId && g.slot.sessionId === sessionId)
      return { reason: "already_on_this_shift", detail: { kind: "proposal", sessionId, needId } };
  }
  for (const part of s.parts) {
    if (p.blackouts.some((b) => b.fromDate <= part.date && part.date <= b.toDate)) return { reason: "blackout" };
  }
  if (!s.parts.every((part) => covered(p, part))) return { reason: "unavailable" };
  // Half-open intervals, as the database's tstzrange '[)' overlap: back-to-back shifts are fine.
  for (const k of p.commitments) {
    if (k.start < s.end && s.start < k.end)
      return { reason: "conflict", detail: { kind: k.kind, sessionId: k.sessionId, ...(k.needId === undefined ? {} : { needId: k.needId }) } };
  }
  for (const g of p.given) {
    if (g.start < s.end && s.start < g.end)
      return { reason: "conflict", detail: { kind: "proposal", sessionId: g.slot.sessionId, needId: g.slot.needId } };
  }
  const weekMinutes = p.week.get(s.week) ?? 0;
  if (weekMinutes + s.minutes > p.input.weeklyMaxMinutes)
    return { reason: "weekly_max", detail: { weekMinutes, maxMinutes: p.input.weeklyMaxMinutes } };
  return null;
}

function slotOrder(a: PreparedSlot, b: PreparedSlot): number {
  return a.start - b.start || a.slot.needId - b.slot.needId || a.slot.sessionId - b.slot.sessionId;
}

/** Fewest minutes this month, then this ISO week (both counting this proposal), then lowest id. */
function fairest(people: Person[], s: PreparedSlot): Person[] {
  return people
    .map((p) => ({ p, month: p.month.get(s.month) ?? 0, week: p.week.get(s.week) ?? 0 }))
    .sort((a, b) => a.month - b.month || a.week - b.week || a.p.input.personId - b.p.input.personId)
    .map((e) => e.p);
}

function give(p: Person, s: PreparedSlot) {
  p.given.push(s);
  p.month.set(s.month, (p.month.get(s.month) ?? 0) + s.minutes);
  p.week.set(s.week, (p.week.get(s.week) ?? 0) + s.minutes);
}

function takeBack(p: Person, s: PreparedSlot) {
  p.given.splice(p.given.indexOf(s), 1);
  p.month.set(s.month, (p.month.get(s.month) ?? 0) - s.minutes);
  p.week.set(s.week, (p.week.get(s.week) ?? 0) - s.minutes);
}

export function suggestRoster(input: SuggestInput): Proposal {
  const slots = input.slots
    .filter((s) => s.open > 0)
    .map((s) => prepareSlot(s, input.timeZone))
    .sort(slotOrder);
  // Person id order everywhere: the caller's candidate order must not change the outcome.
  const people = input.candidates.map(preparePerson).sort((a, b) => a.input.personId - b.input.personId);
  const left = new Map(slots.map((s) => [s, s.slot.open]));
  const holders = new Map<PreparedSlot, Person[]>(slots.map((s) => [s, []]));

  /** Gives the slot's open places to the fairest eligible people; returns how many. */
  const fill = (s: PreparedSlot): number => {
    const open = left.get(s) ?? 0;
    if (open <= 0) return 0;
    const chosen = fairest(
      people.filter((p) => rejection(p, s) === null),
      s,
    ).slice(0, open);
    for (const p of chosen) {
      give(p, s);
      holders.get(s)!.push(p);
    }
    left.set(s, open - chosen.length);
    return chosen.length;
  };

  /**
   * One exchange: someone kept from this slot only by a shift of this proposal — one that
   * overlaps it, or one that fills their week — moves here, and that shift goes to the fairest
   * other eligible person (the helper who is also the only nurse should nurse). Greedy time
   * order alone would leave the scarcer place open.
   */
  const exchange = (s: PreparedSlot): boolean => {
    for (const p of fairest(
      people.filter((q) => q.skills.has(s.slot.skillId)),
      s,
    )) {
      const why = rejection(p, s);
      let freeing: PreparedSlot[] = [];
      if (why?.reason === "conflict" && why.detail && "kind" in why.detail && why.detail.kind === "proposal") {
        const overlapping = p.given.filter((g) => g.start < s.end && s.start < g.end);
        if (overlapping.length === 1) freeing = overlapping;
      } else if (why?.reason === "weekly_max") {
        freeing = p.given.filter((g) => g.week === s.week).sort(slotOrder);
      }
      for (const other of freeing) {
        takeBack(p, other);
        const replacement =
          rejection(p, s) === null
            ? fairest(
                people.filter((q) => q !== p && rejection(q, other) === null),
                other,
              )[0]
            : undefined;
        if (!replacement) {
          give(p, other);
          continue;
        }
        const onOther = holders.get(other)!;
        onOther[onOther.indexOf(p)] = replacement;
        give(replacement, other);
        give(p, s);
        holders.get(s)!.push(p);
        left.set(s, (left.get(s) ?? 0) - 1);
        return true;
      }
    }
    return false;
  };

  for (const s of slots) fill(s);
  // Each fill or exchange places one more person, so this ends; afterwards no open slot can
  // take anyone, given the final proposal — which is what the reasons below show.
  for (let progress = true; progress;) {
    progress = false;
    for (const s of slots) {
      if (fill(s) > 0) progress = true;
      while ((left.get(s) ?? 0) > 0 && exchange(s)) progress = true;
    }
  }

  const items: ProposalItem[] = [];
  const open: OpenSlot[] = [];
  for (const s of slots) {
    const { needId, sessionId, skillId, startsAt, endsAt, session } = s.slot;
    for (const p of holders.get(s)!) items.push({ needId, sessionId, personId: p.input.personId, startsAt, endsAt, minutes: s.minutes });
    const places = left.get(s) ?? 0;
    if (places > 0) {
      const rejections = people.map((p) => {
        const why = rejection(p, s);
        // The loop above ended with nobody eligible for any open slot.
        if (!why) throw new Error("suggestRoster: an eligible person was left out of an open slot");
        return { personId: p.input.personId, ...why };
      });
      open.push({ needId, sessionId, skillId, startsAt, endsAt, session, open: places, rejections });
    }
  }
  const minutes = new Map<number, number>();
  for (const i of items) minutes.set(i.personId, (minutes.get(i.personId) ?? 0) + i.minutes);

  return {
    items,
    open,
    proposedMinutes: [...minutes].sort((a, b) => a[0] - b[0]).map(([personId, m]) => ({ personId, minutes: m })),
  };
}
