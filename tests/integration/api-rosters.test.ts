// The roster API: bad input and refusals on each roster route → 4xx with the JSON error shape,
// a message in the caller's language, and nothing written; and the flow a volunteer's app
// follows (take a shift, see it, leave it).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeSession } from "../support/signup-fixtures";
import { makeNeed, makeSeries, makeSkill } from "../support/roster-fixtures";
import { makeApiUser, type ApiUser } from "../support/api-fixtures";
import { callApi, expectError, type ApiOptions } from "../support/api-requests";
import { assign } from "../../models/rosters/assignments";
import { personSkills, sessions } from "../../models/db/schema";
import type { Actor } from "../../models/permissions";
import { expectRefusal, type RefusalCase } from "../support/api-refusals";

type Who = "volunteer" | "other" | "coordinator" | "resident";

interface Fixture {
  sessionId: number;
  needId: number;
  fullNeedId: number;
  fullSessionId: number;
  seriesNeedId: number;
  seriesSessionId: number;
  restrictedNeedId: number;
  cancelledSessionId: number;
  cancelledNeedId: number;
  proposedId: number;
  confirmedId: number;
}

type Case = RefusalCase<Fixture, Who>;

const need = (id: number, body?: unknown): ApiOptions => ({ params: { id: String(id) }, body });
const one = (id: number, body?: unknown): ApiOptions => ({ params: { id: String(id) }, body });

const CASES: Case[] = [
  // --- GET /api/v1/sessions/{id}/roster
  {
    name: "a word for an id",
    route: "api.v1.sessions.$id.roster",
    method: "GET",
    who: "coordinator",
    options: () => ({ params: { id: "abc" } }),
    status: 404,
    code: "not_found",
  },
  {
    name: "an unknown session",
    route: "api.v1.sessions.$id.roster",
    method: "GET",
    who: "coordinator",
    options: () => one(2147483647),
    status: 404,
    code: "not_found",
    message: ["error.not_found"],
  },

  // --- POST /api/v1/needs/{id}/assignments
  {
    name: "an unknown need",
    route: "api.v1.needs.$id.assignments",
    method: "POST",
    who: "volunteer",
    options: (fx) => need(2147483647, { sessionId: fx.sessionId }),
    status: 404,
    code: "not_found",
  },
  {
    name: "a word for a person",
    route: "api.v1.needs.$id.assignments",
    method: "POST",
    who: "coordinator",
    options: (fx) => need(fx.needId, { personId: "me" }),
    status: 422,
    code: "invalid_input",
    field: "personId",
  },
  {
    name: "session 0",
    route: "api.v1.needs.$id.assignments",
    method: "POST",
    who: "volunteer",
    options: (fx) => need(fx.needId, { sessionId: 0 }),
    status: 422,
    code: "invalid_input",
    field: "sessionId",
  },
  {
    name: "an unknown field",
    route: "api.v1.needs.$id.assignments",
    method: "POST",
    who: "volunteer",
    options: (fx) => need(fx.needId, { status: "confirmed" }),
    status: 422,
    code: "invalid_input",
    field: "status",
  },
  {
    name: "malformed JSON",
    route: "api.v1.needs.$id.assignments",
    method: "POST",
    who: "volunteer",
    options: (fx) => ({ params: { id: String(fx.needId) }, raw: "{sessionId: 1" }),
    status: 400,
    code: "malformed_json",
  },
  {
    name: "a series need without its session",
    route: "api.v1.needs.$id.assignments",
    method: "POST",
    who: "volunteer",
    options: (fx) => need(fx.seriesNeedId, {}),
    status: 422,
    code: "need_session_mismatch",
    message: ["error.need_session_mismatch"],
  },
  {
    name: "a session of another activity",
    route: "api.v1.needs.$id.assignments",
    method: "POST",
    who: "volunteer",
    options: (fx) => need(fx.seriesNeedId, { sessionId: fx.sessionId }),
    status: 422,
    code: "need_session_mismatch",
  },
  {
    name: "a resident taking a shift",
    route: "api.v1.needs.$id.assignments",
    method: "POST",
    who: "resident",
    options: (fx) => need(fx.needId, {}),
    status: 403,
    code: "shift_role_required",
    message: ["error.shift_role_required"],
  },
  {
    name: "someone else, not being staff",
    route: "api.v1.needs.$id.assignments",
    method: "POST",
    who: "other",
    options: (fx) => need(fx.needId, { personId: 1 }),
    status: 403,
    code: "not_allowed",
  },
  {
    name: "a full shift",
    route: "api.v1.needs.$id.assignments",
    method: "POST",
    who: "volunteer",
    options: (fx) => need(fx.fullNeedId, { sessionId: fx.fullSessionId }),
    status: 409,
    code: "need_full",
    message: ["error.need_full"],
  },
  {
    name: "a full shift (en)",
    route: "api.v1.needs.$id.assignments",
    method: "POST",
    who: "volunteer",
    options: (fx) => ({ ...need(fx.fullNeedId, { sessionId: fx.fullSessionId }), lang: "en" }),
    status: 409,
    code: "need_full",
    message: ["error.need_full"],
  },
  {
    name: "an unconfirmed restricted skill",
    route: "api.v1.needs.$id.assignments",
    method: "POST",
    who: "volunteer",
    options: (fx) => need(fx.restrictedNeedId, {}),
    status: 409,
    code: "not_qualified",
    message: ["error.not_qualified"],
  },
  {
    name: "a cancelled session",
    route: "api.v1.needs.$id.assignments",
    method: "POST",
    who: "volunteer",
    options: (fx) => need(fx.cancelledNeedId, {}),
    status: 409,
    code: "shift_closed",
  },

  // --- PATCH and DELETE /api/v1/assignments/{id}
  {
    name: "an unknown action",
    route: "api.v1.assignments.$id",
    method: "PATCH",
    who: "volunteer",
    options: (fx) => one(fx.proposedId, { action: "approve" }),
    status: 422,
    code: "invalid_input",
    field: "action",
  },
  {
    name: "cancel through PATCH",
    route: "api.v1.assignments.$id",
    method: "PATCH",
    who: "volunteer",
    options: (fx) => one(fx.proposedId, { action: "cancel" }),
    status: 422,
    code: "invalid_input",
    field: "action",
  },
  {
    name: "no action",
    route: "api.v1.assignments.$id",
    method: "PATCH",
    who: "volunteer",
    options: (fx) => one(fx.proposedId, {}),
    status: 422,
    code: "invalid_input",
    field: "action",
  },
  {
    name: "someone else's shift",
    route: "api.v1.assignments.$id",
    method: "PATCH",
    who: "other",
    options: (fx) => one(fx.proposedId, { action: "confirm" }),
    status: 404,
    code: "not_found",
  },
  {
    name: "attendance by the volunteer",
    route: "api.v1.assignments.$id",
    method: "PATCH",
    who: "volunteer",
    options: (fx) => one(fx.confirmedId, { action: "attended" }),
    status: 403,
    code: "not_allowed",
  },
  {
    name: "attendance before the start",
    route: "api.v1.assignments.$id",
    method: "PATCH",
    who: "coordinator",
    options: (fx) => one(fx.confirmedId, { action: "attended" }),
    status: 409,
    code: "attendance_too_early",
    message: ["error.attendance_too_early"],
  },
  {
    name: "declining a confirmed shift",
    route: "api.v1.assignments.$id",
    method: "PATCH",
    who: "volunteer",
    options: (fx) => one(fx.confirmedId, { action: "decline" }),
    status: 409,
    code: "assignment_state",
  },
  {
    name: "an unknown assignment",
    route: "api.v1.assignments.$id",
    method: "DELETE",
    who: "coordinator",
    options: () => one(2147483647),
    status: 404,
    code: "not_found",
  },
  {
    name: "cancelling someone else's",
    route: "api.v1.assignments.$id",
    method: "DELETE",
    who: "other",
    options: (fx) => one(fx.confirmedId),
    status: 404,
    code: "not_found",
  },
  {
    name: "a word for an assignment",
    route: "api.v1.assignments.$id",
    method: "DELETE",
    who: "volunteer",
    options: () => ({ params: { id: "all" } }),
    status: 404,
    code: "not_found",
  },

  // --- GET /api/v1/me/shifts
  {
    name: "a token that is not one",
    route: "api.v1.me.shifts",
    method: "GET",
    who: "volunteer",
    options: () => ({ token: "hth_" + "x".repeat(43) }),
    status: 401,
    code: "invalid_token",
  },
];

for (const backend of backends) {
  describe(`roster API on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    const users = {} as Record<Who, ApiUser>;
    const fx = {} as Fixture;
    let stationId = 0;
    let skillId = 0;

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      users.volunteer = await makeApiUser(t.db, stationId, ["volunteer"], "志愿者甲");
      users.other = await makeApiUser(t.db, stationId, ["volunteer"], "志愿者乙");
      users.coordinator = await makeApiUser(t.db, stationId, ["coordinator"]);
      users.resident = await makeApiUser(t.db, stationId, ["resident"], "居民丙");
      const staff = { accountId: users.coordinator.accountId, personId: users.coordinator.personId, roles: users.coordinator.roles };
      skillId = await makeSkill(t.db, stationId);
      const restricted = await makeSkill(t.db, stationId, { restricted: true });
      await t.db.insert(personSkills).values([
        { personId: users.volunteer.personId, skillId, confirmedAt: new Date() },
        { personId: users.other.personId, skillId, confirmedAt: new Date() },
        // Holding the skill, so only the missing role refuses the resident.
        { personId: users.resident.personId, skillId, confirmedAt: new Date() },
        { personId: users.volunteer.personId, skillId: restricted, confirmedAt: null },
      ]);
      fx.sessionId = (await makeSession(t.db, stationId, { capacity: 20, daysAhead: 3 })).sessionId;
      fx.needId = await makeNeed(t.db, stationId, { sessionId: fx.sessionId, skillId, headCount: 3 });
      fx.fullSessionId = (await makeSession(t.db, stationId, { capacity: 20, daysAhead: 4 })).sessionId;
      fx.fullNeedId = await makeNeed(t.db, stationId, { sessionId: fx.fullSessionId, skillId, headCount: 1 });
      await assign(t.db, { stationId, actor: staff }, { needId: fx.fullNeedId, sessionId: fx.fullSessionId, personId: users.other.personId });
      const series = await makeSeries(t.db, stationId, { count: 2, daysAhead: 5 });
      fx.seriesSessionId = series.sessionIds[0]!;
      fx.seriesNeedId = await makeNeed(t.db, stationId, { activityId: series.activityId, skillId });
      const restrictedSession = await makeSession(t.db, stationId, { capacity: 20, daysAhead: 6 });
      fx.restrictedNeedId = await makeNeed(t.db, stationId, { sessionId: restrictedSession.sessionId, skillId: restricted });
      fx.cancelledSessionId = (await makeSession(t.db, stationId, { capacity: 20, daysAhead: 7 })).sessionId;
      fx.cancelledNeedId = await makeNeed(t.db, stationId, { sessionId: fx.cancelledSessionId, skillId });
      await t.db.update(sessions).set({ status: "cancelled" }).where(eq(sessions.id, fx.cancelledSessionId));
      // The volunteer on a shift of her own: proposed when staff put her on it, confirmed when she takes it herself.
      const volunteerShift = async (daysAhead: number, actor: Actor) => {
        const { sessionId } = await makeSession(t.db, stationId, { capacity: 20, daysAhead });
        const needId = await makeNeed(t.db, stationId, { sessionId, skillId });
        return (await assign(t.db, { stationId, actor }, { needId, sessionId, personId: users.volunteer.personId })).id;
      };
      fx.proposedId = await volunteerShift(8, staff);
      fx.confirmedId = await volunteerShift(9, {
        accountId: users.volunteer.accountId,
        personId: users.volunteer.personId,
        roles: users.volunteer.roles,
      });
    });

    for (const c of CASES) {
      it(`${c.method} ${c.route}: ${c.name} -> ${c.status} ${c.code}`, async () => {
        await expectRefusal(t.db, c, c.options(fx), users[c.who].token);
      });
    }

    it("a volunteer takes a shift of a series, sees it, is refused an overlapping one with its name, and leaves it", async () => {
      const token = users.volunteer.token;
      const taken = await callApi("api.v1.needs.$id.assignments", "POST", {
        token,
        params: { id: String(fx.seriesNeedId) },
        body: { sessionId: fx.seriesSessionId },
      });
      expect(taken.status).toBe(201);
      expect(taken.json).toMatchObject({ status: "confirmed", warnings: [] });
      const mine = await callApi("api.v1.me.shifts", "GET", { token });
      expect(mine.json.shifts.map((s: { id: number }) => s.id)).toContain(taken.json.id);
      // Another shift at the same hour on the same day.
      const [series] = await t.db.select({ startsAt: sessions.startsAt }).from(sessions).where(eq(sessions.id, fx.seriesSessionId));
      const clash = await makeSession(t.db, stationId, { capacity: 20, daysAhead: 5, title: "同时的活动" });
      expect(clash.startsAt).toEqual(series!.startsAt);
      const clashNeed = await makeNeed(t.db, stationId, { sessionId: clash.sessionId, skillId });
      const refused = await callApi("api.v1.needs.$id.assignments", "POST", { token, params: { id: String(clashNeed) }, body: {} });
      const error = expectError(refused, 409, "shift_conflict");
      expect(error.params).toMatchObject({ title: "太极拳" });
      expect(error.message).toContain("太极拳");
      const left = await callApi("api.v1.assignments.$id", "DELETE", { token, params: { id: String(taken.json.id) } });
      expect(left.json).toMatchObject({ status: "cancelled" });
      const roster = await callApi("api.v1.sessions.$id.roster", "GET", {
        token: users.coordinator.token,
        params: { id: String(fx.seriesSessionId) },
      });
      expect(roster.json.shifts).toEqual([expect.objectContaining({ needId: fx.seriesNeedId, inherited: true, filled: 0 })]);
    });
  });
}
