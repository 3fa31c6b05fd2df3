// The roster pages in the route guard matrix: all staff. Their actions get forms that work for
// the coordinator and the admin alike (each allowed call writes its audit row), except the
// suggestion's accept, whose stale fingerprint is refused (409) before anything is written:
// accepting for real is tested in roster-pages.test.ts.
import { page, type GuardPart } from "../../support/guard-kit";
import { seedSeries } from "../../support/routes-kit";
import { makeNeed, makeSkill, makeVolunteer } from "../../support/roster-fixtures";
import * as rosterWeek from "../../../app/routes/manage.roster";
import * as rosterCsv from "../../../app/routes/manage.roster[.]csv";
import * as rosterSuggest from "../../../app/routes/manage.roster_.suggest/route";
import * as sessionRoster from "../../../app/routes/manage.sessions.$id_.roster/route";
import * as seriesNeeds from "../../../app/routes/manage.activities.$id_.needs/route";

// Every allowed assign call takes the next volunteer, so the coordinator's and the admin's
// calls never ask for the same person twice.
const POOL = 12;
let nextVolunteer = 0;
const volunteer = (extra: Record<string, number>) => String(extra[`rosterVolunteer${nextVolunteer++ % POOL}`]);

const id = (value: number) => ({ id: String(value) });

export const part: GuardPart = {
  modules: {
    "manage.roster": rosterWeek,
    "manage.roster[.]csv": rosterCsv,
    "manage.roster_.suggest": rosterSuggest,
    "manage.sessions.$id_.roster": sessionRoster,
    "manage.activities.$id_.needs": seriesNeeds,
  },
  watched: ["roster_needs", "assignments"],
  async prepare(db, fx, { stationId, accounts }) {
    // Its own series: the core matrix edits fx's activity and moves fx's session.
    const series = await seedSeries(db, { stationId, actorAccountId: accounts.coordinator.accountId, categoryId: fx.categoryId });
    const skillId = await makeSkill(db, stationId, { nameZh: "量血压", nameEn: "Blood pressure" });
    fx.extra.rosterActivityId = series.activityId;
    fx.extra.rosterSessionId = series.sessionId;
    fx.extra.rosterSkillId = skillId;
    fx.extra.rosterNeedId = await makeNeed(db, stationId, { activityId: series.activityId, skillId, headCount: 20 });
    for (let i = 0; i < POOL; i++) {
      fx.extra[`rosterVolunteer${i}`] = (await makeVolunteer(db, stationId, { skills: [{ skillId }], name: `排班志愿者${i}` })).personId;
    }
  },
  entries: [
    { route: "manage.roster", kind: "loader", policy: "staff", path: () => "/manage/roster", ok: page() },
    {
      route: "manage.roster",
      kind: "action",
      policy: "staff",
      path: () => "/manage/roster",
      form: (fx) => ({
        intent: "assign",
        needId: String(fx.extra.rosterNeedId),
        sessionId: String(fx.extra.rosterSessionId),
        personId: volunteer(fx.extra),
      }),
      ok: page(),
    },
    { route: "manage.roster[.]csv", kind: "loader", policy: "staff", path: () => "/manage/roster.csv", ok: page() },
    { route: "manage.roster_.suggest", kind: "loader", policy: "staff", path: () => "/manage/roster/suggest", ok: page() },
    {
      route: "manage.roster_.suggest",
      kind: "action",
      policy: "staff",
      path: () => "/manage/roster/suggest",
      form: () => ({ intent: "accept", hash: "not-the-proposal-shown", item: [] }),
      ok: page(409),
      writesNothing: true,
    },
    {
      route: "manage.sessions.$id_.roster",
      kind: "loader",
      policy: "staff",
      path: (fx) => `/manage/sessions/${fx.extra.rosterSessionId}/roster`,
      params: (fx) => id(fx.extra.rosterSessionId!),
      ok: page(),
    },
    {
      route: "manage.sessions.$id_.roster",
      kind: "action",
      policy: "staff",
      path: (fx) => `/manage/sessions/${fx.extra.rosterSessionId}/roster`,
      params: (fx) => id(fx.extra.rosterSessionId!),
      form: (fx) => ({
        intent: "add-need",
        skillId: String(fx.extra.rosterSkillId),
        headCount: "1",
        startOffsetMinutes: "15",
        endOffsetMinutes: "0",
      }),
      ok: page(),
    },
    {
      route: "manage.activities.$id_.needs",
      kind: "loader",
      policy: "staff",
      path: (fx) => `/manage/activities/${fx.extra.rosterActivityId}/needs`,
      params: (fx) => id(fx.extra.rosterActivityId!),
      ok: page(),
    },
    {
      route: "manage.activities.$id_.needs",
      kind: "action",
      policy: "staff",
      path: (fx) => `/manage/activities/${fx.extra.rosterActivityId}/needs`,
      params: (fx) => id(fx.extra.rosterActivityId!),
      form: (fx) => ({ intent: "add", skillId: String(fx.extra.rosterSkillId), headCount: "2", startOffsetMinutes: "30", endOffsetMinutes: "15" }),
      ok: page(),
    },
  ],
};
