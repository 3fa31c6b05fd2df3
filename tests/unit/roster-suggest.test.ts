import { describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import { suggestRoster, type SuggestCandidate, type SuggestInput, type SuggestSlot } from "../../models/rosters/suggest";

// Tests run with TZ=UTC; the station is eight hours ahead, so any slip into UTC shows.
const ZONE = "Asia/Shanghai";
const SKILL = 1;
const NURSE = 2;
const at = (local: string) => DateTime.fromISO(local, { zone: ZONE }).toJSDate();

let nextNeed = 100;
/** A shift on a local day; 2026-12-07 is a Monday. */
function slot(day: string, from: string, to: string, extra: Partial<SuggestSlot> = {}): SuggestSlot {
  const needId = extra.needId ?? nextNeed++;
  const start = DateTime.fromISO(`${day}T${from}`, { zone: ZONE });
  return {
    needId,
    sessionId: extra.sessionId ?? needId + 1000,
    skillId: SKILL,
    startsAt: start.toJSDate(),
    endsAt: at(`${day}T${to}`),
    open: 1,
    session: { localDate: day, weekday: start.weekday, startTime: from, endTime: to },
    ...extra,
  };
}

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startTime: "00:00", endTime: "24:00" }));

function person(personId: number, extra: Partial<SuggestCandidate> = {}): SuggestCandidate {
  return {
    personId,
    name: `P${personId}`,
    skillIds: [SKILL],
    availability: EVERY_DAY,
    blackouts: [],
    commitments: [],
    minutesByMonth: {},
    minutesByWeek: {},
    weeklyMaxMinutes: 720,
    ...extra,
  };
}

const run = (slots: SuggestSlot[], candidates: SuggestCandidate[]) => suggestRoster({ timeZone: ZONE, slots, candidates });
const picks = (input: ReturnType<typeof run>) => input.items.map((i) => [i.needId, i.personId]);
const reasonOf = (proposal: ReturnType<typeof run>, personId: number, index = 0) =>
  proposal.open[index]?.rejections.find((r) => r.personId === personId);

describe("suggestRoster: who may take a shift", () => {
  it("only proposes people who hold the skill, and says why the others were passed over", () => {
    const s = slot("2026-12-07", "09:00", "11:00", { skillId: NURSE });
    const p = run([s], [person(1), person(2, { skillIds: [SKILL, NURSE] })]);
    expect(picks(p)).toEqual([[s.needId, 2]]);
    const none = run([s], [person(1)]);
    expect(none.items).toEqual([]);
    expect(none.open).toHaveLength(1);
    expect(reasonOf(none, 1)).toEqual({ personId: 1, reason: "not_qualified" });
  });

  it("reads availability on the station's weekday and clock, set-up time included", () => {
    // Monday 07:00 in Shanghai is Sunday 23:00 UTC: a Monday-morning volunteer fits, a Sunday one does not.
    const early = slot("2026-12-07", "07:00", "09:00");
    const monday = person(1, { availability: [{ weekday: 1, startTime: "07:00", endTime: "12:00" }] });
    const sunday = person(2, { availability: [{ weekday: 7, startTime: "00:00", endTime: "24:00" }] });
    expect(picks(run([early], [monday, sunday]))).toEqual([[early.needId, 1]]);
    const onlySunday = run([early], [sunday]);
    expect(reasonOf(onlySunday, 2)?.reason).toBe("unavailable");

    // The window must hold the whole shift: 07:30 is not 07:00.
    const late = person(3, { availability: [{ weekday: 1, startTime: "07:30", endTime: "12:00" }] });
    expect(reasonOf(run([early], [late]), 3)?.reason).toBe("unavailable");
    // Two windows that touch make one: 07:00–08:00 and 08:00–12:00 hold 07:00–09:00.
    const split = person(4, {
      availability: [
        { weekday: 1, startTime: "08:00", endTime: "12:00" },
        { weekday: 1, startTime: "07:00", endTime: "08:00" },
      ],
    });
    expect(picks(run([early], [split]))).toEqual([[early.needId, 4]]);
    // Nothing declared is no constraint (as assign reads it); one window on another day is.
    expect(picks(run([early], [person(5, { availability: [] })]))).toEqual([[early.needId, 5]]);
    expect(reasonOf(run([early], [person(6, { availability: [{ weekday: 2, startTime: "00:00", endTime: "24:00" }] })]), 6)?.reason).toBe(
      "unavailable",
    );
  });

  it("a shift past local midnight needs both days' availability", () => {
    const night = slot("2026-12-07", "22:00", "23:59", { endsAt: at("2026-12-08T01:00") });
    const mondayOnly = person(1, { availability: [{ weekday: 1, startTime: "18:00", endTime: "24:00" }] });
    const both = person(2, {
      availability: [
        { weekday: 1, startTime: "18:00", endTime: "24:00" },
        { weekday: 2, startTime: "00:00", endTime: "02:00" },
      ],
    });
    expect(picks(run([night], [mondayOnly, both]))).toEqual([[night.needId, 2]]);
    expect(reasonOf(run([night], [mondayOnly]), 1)?.reason).toBe("unavailable");
  });

  it("skips people on a blackout day, both ends of the range included", () => {
    const s = slot("2026-12-07", "09:00", "11:00");
    const endsThatDay = person(1, { blackouts: [{ fromDate: "2026-12-01", toDate: "2026-12-07" }] });
    const startsThatDay = person(2, { blackouts: [{ fromDate: "2026-12-07", toDate: "2026-12-09" }] });
    const dayBefore = person(3, { blackouts: [{ fromDate: "2026-12-01", toDate: "2026-12-06" }] });
    const p = run([s], [endsThatDay, startsThatDay, dayBefore]);
    expect(picks(p)).toEqual([[s.needId, 3]]);
    const none = run([s], [endsThatDay, startsThatDay]);
    expect(none.open[0]?.rejections.map((r) => r.reason)).toEqual(["blackout", "blackout"]);
  });
});

describe("suggestRoster: conflicts", () => {
  it("never proposes someone over their active assignment or their attendee booking", () => {
    const s = slot("2026-12-07", "09:00", "11:00");
    const assigned = person(1, {
      commitments: [{ kind: "assignment", sessionId: 77, needId: 7, startsAt: at("2026-12-07T10:30"), endsAt: at("2026-12-07T12:00") }],
    });
    const booked = person(2, { commitments: [{ kind: "signup", sessionId: 88, startsAt: at("2026-12-07T08:00"), endsAt: at("2026-12-07T09:30") }] });
    // Back to back is no conflict: [08:00, 09:00) and [09:00, 11:00) do not overlap.
    const before = person(3, { commitments: [{ kind: "signup", sessionId: 99, startsAt: at("2026-12-07T08:00"), endsAt: at("2026-12-07T09:00") }] });
    expect(picks(run([s], [assigned, booked, before]))).toEqual([[s.needId, 3]]);
    const none = run([s], [assigned, booked]);
    expect(none.open[0]?.rejections).toEqual([
      { personId: 1, reason: "conflict", detail: { kind: "assignment", sessionId: 77, needId: 7 } },
      { personId: 2, reason: "conflict", detail: { kind: "signup", sessionId: 88 } },
    ]);
  });

  it("does not give one person two overlapping slots of the same proposal", () => {
    const a = slot("2026-12-07", "09:00", "11:00");
    const b = slot("2026-12-07", "10:00", "12:00");
    const p = run([a, b], [person(1), person(2)]);
    expect(picks(p)).toEqual([
      [a.needId, 1],
      [b.needId, 2],
    ]);
    const alone = run([a, b], [person(1)]);
    expect(picks(alone)).toEqual([[a.needId, 1]]);
    expect(alone.open[0]?.rejections).toEqual([
      { personId: 1, reason: "conflict", detail: { kind: "proposal", sessionId: a.sessionId, needId: a.needId } },
    ]);
  });

  it("moves a person with a scarce skill to the place only they can fill, and gives their first shift to another", () => {
    // Person 1 is a helper and the only nurse; time order first gives them the helper place.
    const helping = slot("2026-12-07", "09:00", "11:00", { needId: 1 });
    const nursing = slot("2026-12-07", "09:00", "11:00", { needId: 2, sessionId: helping.sessionId, skillId: NURSE });
    const p = run([helping, nursing], [person(1, { skillIds: [SKILL, NURSE] }), person(2, { minutesByMonth: { "2026-12": 600 } })]);
    expect(picks(p)).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expect(p.open).toEqual([]);
    // With nobody else for the helper place, the nurse place stays open: a swap would only move the gap.
    const alone = run([helping, nursing], [person(1, { skillIds: [SKILL, NURSE] })]);
    expect(picks(alone)).toEqual([[1, 1]]);
    expect(alone.open.map((o) => o.needId)).toEqual([2]);
  });

  it("frees a full week the same way: an earlier shift goes to another so the scarce one is covered", () => {
    const mon = slot("2026-12-07", "09:00", "11:00", { needId: 1 });
    const tue = slot("2026-12-08", "09:00", "11:00", { needId: 2 });
    const wed = slot("2026-12-09", "09:00", "11:00", { needId: 3, skillId: NURSE });
    const nurse = person(1, { skillIds: [SKILL, NURSE], weeklyMaxMinutes: 240 });
    const p = run([mon, tue, wed], [nurse, person(2, { minutesByMonth: { "2026-12": 600 } })]);
    expect(picks(p)).toEqual([
      [1, 2],
      [2, 1],
      [3, 1],
    ]);
    expect(p.open).toEqual([]);
  });

  it("fills a need of several places with different people, and counts a person already on it", () => {
    const s = slot("2026-12-07", "09:00", "11:00", { open: 3 });
    const onIt = person(1, {
      commitments: [{ kind: "assignment", sessionId: s.sessionId, needId: s.needId, startsAt: s.startsAt, endsAt: s.endsAt }],
    });
    const p = run([s], [onIt, person(2)]);
    expect(picks(p)).toEqual([[s.needId, 2]]);
    expect(p.open).toHaveLength(1);
    expect(p.open[0]?.open).toBe(2);
    expect(p.open[0]?.rejections).toEqual([
      { personId: 1, reason: "already_on_this_shift", detail: { kind: "assignment", sessionId: s.sessionId, needId: s.needId } },
      { personId: 2, reason: "already_on_this_shift", detail: { kind: "proposal", sessionId: s.sessionId, needId: s.needId } },
    ]);
  });
});

describe("suggestRoster: weekly maximum", () => {
  it("counts minutes already rostered in the station's ISO week", () => {
    const s = slot("2026-12-07", "09:00", "11:00"); // 120 minutes, ISO week 2026-W50
    const full = person(1, { weeklyMaxMinutes: 600, minutesByWeek: { "2026-W50": 500 } });
    const lastWeek = person(2, { weeklyMaxMinutes: 600, minutesByWeek: { "2026-W49": 600 }, minutesByMonth: { "2026-12": 600 } });
    expect(picks(run([s], [full, lastWeek]))).toEqual([[s.needId, 2]]);
    expect(reasonOf(run([s], [full]), 1)).toEqual({ personId: 1, reason: "weekly_max", detail: { weekMinutes: 500, maxMinutes: 600 } });
    // Exactly at the maximum is allowed.
    const edge = person(3, { weeklyMaxMinutes: 620, minutesByWeek: { "2026-W50": 500 } });
    expect(picks(run([s], [edge]))).toEqual([[s.needId, 3]]);
  });

  it("counts the minutes this proposal already gave, and starts afresh the next week", () => {
    // Sunday 2026-12-13 23:00 local is still W50 there (but Sunday 15:00 UTC): the zone decides the week.
    const mon = slot("2026-12-07", "09:00", "13:00");
    const wed = slot("2026-12-09", "09:00", "13:00");
    const sun = slot("2026-12-13", "20:00", "23:30");
    const nextMon = slot("2026-12-14", "09:00", "13:00");
    const p = run([mon, wed, sun, nextMon], [person(1, { weeklyMaxMinutes: 480 })]);
    expect(picks(p)).toEqual([
      [mon.needId, 1],
      [wed.needId, 1],
      [nextMon.needId, 1],
    ]);
    expect(p.open.map((o) => o.needId)).toEqual([sun.needId]);
    expect(p.open[0]?.rejections).toEqual([{ personId: 1, reason: "weekly_max", detail: { weekMinutes: 480, maxMinutes: 480 } }]);
    expect(p.proposedMinutes).toEqual([{ personId: 1, minutes: 720 }]);
  });
});

describe("suggestRoster: fairness", () => {
  it("gives the shift to the one with the fewest minutes this month, then this week, then the lowest id", () => {
    const s = slot("2026-12-07", "09:00", "11:00");
    const busy = person(1, { minutesByMonth: { "2026-12": 240 } });
    const idle = person(5, { minutesByMonth: { "2026-12": 60, "2026-11": 0 } });
    const idleLastMonthBusy = person(4, { minutesByMonth: { "2026-11": 900, "2026-12": 60 }, minutesByWeek: { "2026-W50": 60 } });
    expect(picks(run([s], [busy, idle, idleLastMonthBusy]))).toEqual([[s.needId, 5]]);
    const twin = person(3, { minutesByMonth: { "2026-12": 60 } });
    expect(picks(run([s], [busy, idle, twin]))).toEqual([[s.needId, 3]]);
  });

  it("spreads a month of shifts evenly over the people who can take them", () => {
    const days = Array.from({ length: 12 }, (_, i) =>
      DateTime.fromISO("2026-12-01")
        .plus({ days: i * 2 })
        .toISODate()!,
    );
    const slots = days.map((d) => slot(d, "09:00", "11:00"));
    const p = run(slots, [person(1), person(2), person(3), person(4, { minutesByMonth: { "2026-12": 240 } })]);
    expect(p.open).toEqual([]);
    const minutes = new Map(p.proposedMinutes.map((m) => [m.personId, m.minutes]));
    // 12 shifts of 2 h and 4 h already on one of them: 28 h cannot split evenly in 2-hour
    // pieces, so the totals end 8, 8, 6, 6 — within one shift of each other.
    expect([1, 2, 3, 4].map((id) => (minutes.get(id) ?? 0) / 60)).toEqual([8, 8, 6, 2]);
    const totals = [1, 2, 3, 4].map((id) => (minutes.get(id) ?? 0) + (id === 4 ? 240 : 0));
    expect(Math.max(...totals) - Math.min(...totals)).toBeLessThanOrEqual(120);
  });
});

describe("suggestRoster: determinism and evidence", () => {
  const input = (): SuggestInput => {
    const slots = [
      slot("2026-12-08", "14:00", "16:00", { needId: 1, open: 2 }),
      slot("2026-12-08", "14:00", "16:00", { needId: 2, skillId: NURSE }),
      slot("2026-12-07", "09:00", "11:00", { needId: 3 }),
      slot("2026-12-07", "10:00", "11:30", { needId: 4, open: 3 }),
    ];
    const candidates = [
      person(9, { minutesByMonth: { "2026-12": 30 } }),
      person(2, { skillIds: [SKILL, NURSE] }),
      person(7, { availability: [{ weekday: 2, startTime: "13:00", endTime: "17:00" }] }),
      person(4, { blackouts: [{ fromDate: "2026-12-07", toDate: "2026-12-07" }] }),
      person(5, { skillIds: [NURSE] }),
    ];
    return { timeZone: ZONE, slots, candidates };
  };
  const shuffle = <T>(list: T[], seed: number) =>
    list
      .map((x, i) => ({ x, k: (i * 7919 + seed) % 101 }))
      .sort((a, b) => a.k - b.k)
      .map((e) => e.x);

  it("gives the same proposal for the same input, whatever order the slots and people come in", () => {
    const first = suggestRoster(input());
    expect(suggestRoster(input())).toEqual(first);
    for (const seed of [1, 2, 3, 50]) {
      const i = input();
      expect(suggestRoster({ ...i, slots: shuffle(i.slots, seed), candidates: shuffle(i.candidates, seed) })).toEqual(first);
    }
    // Slots go in start order (need 3 at 09:00 first), and ties on start go by need id (1 before 2).
    // Need 3 goes to 2 (no minutes yet) over 9 (30); need 4 can then only have 9; on Tuesday 7
    // and 4 (Monday was their blackout) have nothing yet and go by id; the nurse place goes to 5,
    // who has nothing, over 2.
    expect(first.items.map((x) => [x.needId, x.personId])).toEqual([
      [3, 2],
      [4, 9],
      [1, 4],
      [1, 7],
      [2, 5],
    ]);
  });

  it("lists every candidate with a reason for each slot left open, so nobody eligible went unused", () => {
    const p = suggestRoster(input());
    const everyone = input()
      .candidates.map((c) => c.personId)
      .sort((a, b) => a - b);
    expect(p.open.length).toBeGreaterThan(0);
    for (const o of p.open) expect(o.rejections.map((r) => r.personId)).toEqual(everyone);
    const four = p.open.find((o) => o.needId === 4)!;
    expect(four.open).toBe(2);
    expect(Object.fromEntries(four.rejections.map((r) => [r.personId, r.reason]))).toEqual({
      2: "conflict",
      4: "blackout",
      5: "not_qualified",
      7: "unavailable",
      9: "already_on_this_shift",
    });
  });
});
