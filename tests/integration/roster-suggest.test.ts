import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makeSession, ZONE } from "../support/signup-fixtures";
import { makeAvailability, makeBlackout, makeNeed, makeSkill, makeVolunteer } from "../support/roster-fixtures";
import { assignments, people } from "../../models/db/schema";
import { signUp } from "../../models/signups";
import { assign } from "../../models/rosters/assignments";
import { acceptProposal, loadSuggestInput, ProposalItemRefused, suggestForRange } from "../../models/rosters/suggest-input";
import { suggestRoster, type Proposal, type SuggestInput } from "../../models/rosters/suggest";
import { NeedFull } from "../../models/rosters/errors";
import { seedDemoCommunity } from "../../scripts/demo/community";
import type { Actor } from "../../models/permissions";
import type { Db } from "../../models/db";

const HOUR = 3_600_000;
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startTime: "07:00", endTime: "20:00" }));

/** Active assignments of a need on a session. */
async function activeOn(db: Db, needId: number, sessionId: number) {
  return db
    .select({ personId: assignments.personId, status: assignments.status })
    .from(assignments)
    .where(and(eq(assignments.needId, needId), eq(assignments.sessionId, sessionId), inArray(assignments.status, ["proposed", "confirmed"])));
}

/** The local day around a session, as a suggestion range. */
function dayOf(startsAt: Date) {
  const day = DateTime.fromJSDate(startsAt, { zone: ZONE }).startOf("day");
  return { from: day.toJSDate(), to: day.plus({ days: 1 }).toJSDate() };
}

for (const backend of backends) {
  describe(`roster suggestion on ${backend.name}: a small station`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let coordinator: Actor;
    const ctx = () => ({ stationId, actor: coordinator });

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"]);
    });

    /** A volunteer holding `skillIds` (confirmed), available every day 07:00–20:00. */
    async function volunteer(skillIds: number[], options: { confirmed?: boolean; name?: string } = {}) {
      const v = await makeVolunteer(t.db, stationId, { skills: skillIds.map((skillId) => ({ skillId, confirmed: options.confirmed ?? true })), name: options.name });
      await makeAvailability(t.db, v.personId, EVERY_DAY);
      return v.personId;
    }

    it("loads open places, shift times, qualifications and commitments, and suggests with a reason for everyone else", async () => {
      const helper = await makeSkill(t.db, stationId);
      const doctor = await makeSkill(t.db, stationId, { restricted: true });
      const clinic = await makeSession(t.db, stationId, { capacity: 20, daysAhead: 10, title: "义诊" });
      const lecture = await makeSession(t.db, stationId, { capacity: 20, daysAhead: 10, title: "讲座" });
      // Two helpers on the series, with 30 minutes' set-up and 15 minutes' clear-up; one doctor on this session.
      const helpers = await makeNeed(t.db, stationId, { activityId: clinic.activityId, skillId: helper, headCount: 2, startOffsetMinutes: 30, endOffsetMinutes: 15 });
      const doctors = await makeNeed(t.db, stationId, { sessionId: clinic.sessionId, skillId: doctor });
      const shiftStart = new Date(clinic.startsAt.getTime() - 0.5 * HOUR);
      const shiftEnd = new Date(clinic.startsAt.getTime() + 2.25 * HOUR);

      const booked = await volunteer([helper], { name: "听讲座的" });
      await signUp(t.db, { stationId, actor: coordinator }, { sessionId: lecture.sessionId, personId: booked, partySize: 1 });
      const onIt = await volunteer([helper], { name: "已排班的" });
      await t.db.insert(assignments).values({
        stationId,
        needId: helpers,
        sessionId: clinic.sessionId,
        personId: onIt,
        during: `[${shiftStart.toISOString()},${shiftEnd.toISOString()})`,
        status: "confirmed",
      });
      const unconfirmedDoctor = await volunteer([doctor], { confirmed: false, name: "未确认医生" });
      const confirmedDoctor = await volunteer([doctor], { name: "确认医生" });
      const capped = await volunteer([helper], { name: "每周一小时" });
      await t.db.update(people).set({ maxWeeklyShiftMinutes: 60 }).where(eq(people.id, capped));
      const away = await volunteer([helper], { name: "出门的" });
      await makeBlackout(t.db, away, DateTime.fromJSDate(clinic.startsAt, { zone: ZONE }).toISODate()!);
      const free = await volunteer([helper], { name: "有空的" });

      const range = dayOf(clinic.startsAt);
      const input = await loadSuggestInput(t.db, stationId, range);
      const month = DateTime.fromJSDate(shiftStart, { zone: ZONE }).toFormat("yyyy-MM");
      expect(input.timeZone).toBe(ZONE);
      expect(input.slots.map((s) => ({ needId: s.needId, skillId: s.skillId, open: s.open, startsAt: s.startsAt, endsAt: s.endsAt, title: s.session.title }))).toEqual(
        expect.arrayContaining([
          { needId: helpers, skillId: helper, open: 1, startsAt: shiftStart, endsAt: shiftEnd, title: "义诊" },
          { needId: doctors, skillId: doctor, open: 1, startsAt: clinic.startsAt, endsAt: new Date(clinic.startsAt.getTime() + 2 * HOUR), title: "义诊" },
        ]),
      );
      expect(input.slots).toHaveLength(2);
      expect(input.slots.find((s) => s.needId === helpers)!.session).toMatchObject({ startTime: "09:00", endTime: "11:00" });
      const candidate = (id: number) => input.candidates.find((c) => c.personId === id)!;
      expect(candidate(unconfirmedDoctor).skillIds).toEqual([]);
      expect(candidate(confirmedDoctor).skillIds).toEqual([doctor]);
      expect(candidate(capped).weeklyMaxMinutes).toBe(60);
      expect(candidate(free).weeklyMaxMinutes).toBe(720);
      expect(candidate(onIt).minutesByMonth).toEqual({ [month]: 165 });
      expect(candidate(onIt).commitments).toEqual([{ kind: "assignment", needId: helpers, sessionId: clinic.sessionId, startsAt: shiftStart, endsAt: shiftEnd }]);
      expect(candidate(booked).commitments).toEqual([{ kind: "signup", sessionId: lecture.sessionId, startsAt: lecture.startsAt, endsAt: new Date(lecture.startsAt.getTime() + 2 * HOUR) }]);
      expect(candidate(away).blackouts).toHaveLength(1);
      expect(candidate(free).availability).toHaveLength(7);

      const proposal = suggestRoster(input);
      expect(proposal.items.map((i) => [i.needId, i.personId])).toEqual([
        [helpers, free],
        [doctors, confirmedDoctor],
      ]);
      expect(proposal.open).toEqual([]);

      // Take the one free helper away: the place stays open and everyone says why.
      const withoutFree: SuggestInput = { ...input, candidates: input.candidates.filter((c) => c.personId !== free) };
      const reasons = Object.fromEntries(suggestRoster(withoutFree).open[0]!.rejections.map((r) => [r.personId, r.reason]));
      expect(reasons).toMatchObject({
        [booked]: "conflict",
        [onIt]: "already_on_this_shift",
        [unconfirmedDoctor]: "not_qualified",
        [confirmedDoctor]: "not_qualified",
        [capped]: "weekly_max",
        [away]: "blackout",
      });

      // Accepting writes "proposed" assignments; the next suggestion has nothing left to fill.
      const results = await acceptProposal(t.db, ctx(), proposal.items);
      expect(results.map((r) => r.status)).toEqual(["proposed", "proposed"]);
      expect((await activeOn(t.db, helpers, clinic.sessionId)).map((r) => r.personId).sort()).toEqual([onIt, free].sort());
      expect(await activeOn(t.db, doctors, clinic.sessionId)).toEqual([{ personId: confirmedDoctor, status: "proposed" }]);
      expect((await loadSuggestInput(t.db, stationId, range)).slots).toEqual([]);
      // Once the session has started it is no longer offered at all.
      await t.db.update(assignments).set({ status: "cancelled" }).where(eq(assignments.personId, free));
      expect((await loadSuggestInput(t.db, stationId, range)).slots).toHaveLength(1);
      expect((await loadSuggestInput(t.db, stationId, { ...range, now: new Date(clinic.startsAt.getTime() + 1) })).slots).toEqual([]);
    });

    it("accepts all or nothing: a place taken meanwhile refuses the whole acceptance and names the item", async () => {
      const helper = await makeSkill(t.db, stationId);
      const s = await makeSession(t.db, stationId, { capacity: 20, daysAhead: 12 });
      const first = await makeNeed(t.db, stationId, { sessionId: s.sessionId, skillId: helper });
      const second = await makeNeed(t.db, stationId, { sessionId: s.sessionId, skillId: helper });
      const [a, b, c] = [await volunteer([helper]), await volunteer([helper]), await volunteer([helper])];
      const proposal = await suggestForRange(t.db, stationId, dayOf(s.startsAt));
      expect(proposal.items.map((i) => [i.needId, i.personId])).toEqual([
        [first, a],
        [second, b],
      ]);

      // Meanwhile a coordinator puts c on the second need by hand.
      await assign(t.db, ctx(), { needId: second, sessionId: s.sessionId, personId: c });
      const refused = await acceptProposal(t.db, ctx(), proposal.items).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ProposalItemRefused);
      expect(refused).toMatchObject({ index: 1, item: { needId: second, sessionId: s.sessionId, personId: b }, reason: "need_full", status: 409 });
      // The first item, valid on its own, was rolled back with the rest.
      expect(await activeOn(t.db, first, s.sessionId)).toEqual([]);
      expect(await activeOn(t.db, second, s.sessionId)).toEqual([{ personId: c, status: "proposed" }]);

      // A fresh suggestion counts the manual assignment and proposes the rest.
      const fresh = await suggestForRange(t.db, stationId, dayOf(s.startsAt));
      expect(fresh.items.map((i) => [i.needId, i.personId])).toEqual([[first, a]]);
      await acceptProposal(t.db, ctx(), fresh.items);
      expect(await activeOn(t.db, first, s.sessionId)).toEqual([{ personId: a, status: "proposed" }]);
    });

    it("refuses a volunteer who is not staff", async () => {
      const volunteerActor = await makeActor(t.db, stationId, ["volunteer"]);
      await expect(acceptProposal(t.db, { stationId, actor: volunteerActor }, [])).rejects.toMatchObject({ code: "not_allowed" });
    });

    if (backend.name === "postgres") {
      it("an acceptance racing a manual assignment: exactly one wins, and a refused acceptance writes nothing", async () => {
        for (let round = 0; round < 5; round++) {
          const helper = await makeSkill(t.db, stationId);
          const s = await makeSession(t.db, stationId, { capacity: 20, daysAhead: 20 + round });
          const need = await makeNeed(t.db, stationId, { sessionId: s.sessionId, skillId: helper });
          const other = await makeNeed(t.db, stationId, { sessionId: s.sessionId, skillId: helper });
          const [a, b, c] = [await volunteer([helper]), await volunteer([helper]), await volunteer([helper])];
          const proposal = await suggestForRange(t.db, stationId, dayOf(s.startsAt));
          expect(proposal.items.map((i) => [i.needId, i.personId])).toEqual([
            [need, a],
            [other, b],
          ]);
          const [accepted, manual] = await Promise.allSettled([
            acceptProposal(t.db, ctx(), proposal.items),
            assign(t.db, ctx(), { needId: need, sessionId: s.sessionId, personId: c }),
          ]);
          const onNeed = await activeOn(t.db, need, s.sessionId);
          const onOther = await activeOn(t.db, other, s.sessionId);
          if (accepted.status === "fulfilled") {
            expect(manual.status === "rejected" && manual.reason).toBeInstanceOf(NeedFull);
            expect(onNeed.map((r) => r.personId)).toEqual([a]);
            expect(onOther.map((r) => r.personId)).toEqual([b]);
          } else {
            expect(accepted.reason).toBeInstanceOf(ProposalItemRefused);
            expect(accepted.reason).toMatchObject({ index: 0, reason: "need_full" });
            expect(manual.status).toBe("fulfilled");
            expect(onNeed.map((r) => r.personId)).toEqual([c]);
            expect(onOther).toEqual([]);
          }
        }
      });
    }
  });
}
