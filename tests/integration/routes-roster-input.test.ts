// Hostile and clumsy input to the roster pages: the week grid, its CSV, the suggestion, one
// session's roster and a series' needs. Every case ends in its exact 4xx (never a 5xx), says
// why in the visitor's language (each case runs in zh-CN and in English), and writes nothing:
// no row added or removed in any table. Runs on PGlite, and on PostgreSQL when
// TEST_DATABASE_URL is set.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, useBackend } from "../support/db";
import { categoryId, ensureStation } from "../support/fixtures";
import { makeActor } from "../support/signup-fixtures";
import { makeNeed, makeSkill, makeVolunteer } from "../support/roster-fixtures";
import { getRequest, postRequest } from "../support/requests";
import { callSafely, countRows, messagesOf, seedSeries, text, ZONE, type Form, type Handler, type Locale } from "../support/routes-kit";
import { assign } from "../../models/rosters";
import { formatWhen } from "../../models/rosters/common";
import { sessions } from "../../models/db/schema";
import { eq } from "drizzle-orm";
import type { MessageKey } from "../../models/i18n";

import * as rosterWeek from "../../app/routes/manage.roster";
import * as rosterCsv from "../../app/routes/manage.roster[.]csv";
import * as rosterSuggest from "../../app/routes/manage.roster_.suggest/route";
import * as sessionRoster from "../../app/routes/manage.sessions.$id_.roster/route";
import * as seriesNeeds from "../../app/routes/manage.activities.$id_.needs/route";

interface Fixture {
  token: string;
  activityId: number;
  sessionId: number;
  needId: number;
  /** Another series at the very same time, with a need of the same skill. */
  otherSessionId: number;
  otherNeedId: number;
  /** Its sessions' title and the volunteer's shift on sessionId, as the conflict names them. */
  conflictTitle: string;
  conflictWhen: string;
  volunteerId: number;
  assignmentId: number;
  unqualifiedId: number;
  skillId: number;
  foreign: { activityId: number; sessionId: number; needId: number; personId: number; skillId: number };
}

type P = Record<string, string | number>;
/** The reply's texts: a thrown Response's body, or a form reply's formError then field errors. */
type Says = { key: MessageKey; params?: P }[] | ((fx: Fixture) => { key: MessageKey; params?: P }[]);

interface Case {
  name: string;
  handler: unknown;
  path: (fx: Fixture) => string;
  params?: (fx: Fixture) => Record<string, string>;
  form?: (fx: Fixture) => Form;
  status: number;
  says: Says;
}

const say = (key: MessageKey, params?: P) => ({ key, params });
const fieldError = (key: MessageKey, params?: P) => [say("error.form"), say(key, params)];
const ID = { min: 1, max: 2_147_483_647 };
const HEADS = { min: 1, max: 50 };
const MINUTES = { min: 0, max: 240 };
const s = (id: number) => ({ id: String(id) });

const grid = (form: (fx: Fixture) => Form) => ({ handler: rosterWeek.action, path: () => "/manage/roster", form });
const onSession = (id: (fx: Fixture) => number, form: (fx: Fixture) => Form) => ({
  handler: sessionRoster.action,
  path: (fx: Fixture) => `/manage/sessions/${id(fx)}/roster`,
  params: (fx: Fixture) => s(id(fx)),
  form,
});
const onSeries = (id: (fx: Fixture) => number, form: (fx: Fixture) => Form) => ({
  handler: seriesNeeds.action,
  path: (fx: Fixture) => `/manage/activities/${id(fx)}/needs`,
  params: (fx: Fixture) => s(id(fx)),
  form,
});
const assignForm =
  (pick: (fx: Fixture) => { needId: number; sessionId: number; personId: number | string }) =>
  (fx: Fixture): Form => {
    const p = pick(fx);
    return { intent: "assign", needId: String(p.needId), sessionId: String(p.sessionId), personId: String(p.personId) };
  };
const sessionNeed =
  (overrides: Form) =>
  (fx: Fixture): Form => ({
    intent: "add-need",
    skillId: String(fx.skillId),
    headCount: "1",
    startOffsetMinutes: "0",
    endOffsetMinutes: "0",
    ...overrides,
  });
const seriesNeed =
  (overrides: Form) =>
  (fx: Fixture): Form => ({
    intent: "add",
    skillId: String(fx.skillId),
    headCount: "1",
    startOffsetMinutes: "0",
    endOffsetMinutes: "0",
    ...overrides,
  });

const CASES: Case[] = [
  // --- the week: a malformed or impossible ISO week is a 400 that says what a week looks like
  ...["2026-W60", "2026-W00", "2026W49", "2026-w49", "abc", "2026-W49'--", "1999-W10"].flatMap((week) => [
    {
      name: `grid ?week=${week}`,
      handler: rosterWeek.loader,
      path: () => `/manage/roster?week=${encodeURIComponent(week)}`,
      status: 400,
      says: [say("roster.badWeek")],
    },
    {
      name: `CSV ?week=${week}`,
      handler: rosterCsv.loader,
      path: () => `/manage/roster.csv?week=${encodeURIComponent(week)}`,
      status: 400,
      says: [say("roster.badWeek")],
    },
  ]),
  { name: "2025 has no week 53", handler: rosterWeek.loader, path: () => "/manage/roster?week=2025-W53", status: 400, says: [say("roster.badWeek")] },
  {
    name: "suggest ?month=2026-13",
    handler: rosterSuggest.loader,
    path: () => "/manage/roster/suggest?month=2026-13",
    status: 400,
    says: [say("roster.badMonth")],
  },
  {
    name: "suggest ?month=12-2026",
    handler: rosterSuggest.loader,
    path: () => "/manage/roster/suggest?month=12-2026",
    status: 400,
    says: [say("roster.badMonth")],
  },
  {
    name: "suggest from after to",
    handler: rosterSuggest.loader,
    path: () => "/manage/roster/suggest?from=2026-12-10&to=2026-12-01",
    status: 400,
    says: [say("roster.badRange")],
  },
  {
    name: "suggest over 62 days",
    handler: rosterSuggest.loader,
    path: () => "/manage/roster/suggest?from=2026-01-01&to=2026-06-30",
    status: 400,
    says: [say("roster.badRange")],
  },
  {
    name: "suggest from without to",
    handler: rosterSuggest.loader,
    path: () => "/manage/roster/suggest?from=2026-12-01",
    status: 400,
    says: [say("roster.badRange")],
  },
  {
    name: "suggest 2026-02-30",
    handler: rosterSuggest.loader,
    path: () => "/manage/roster/suggest?from=2026-02-30&to=2026-03-02",
    status: 400,
    says: [say("roster.badRange")],
  },
  // --- the suggestion's accept
  {
    name: "accept, a fingerprint that is not the proposal's",
    handler: rosterSuggest.action,
    path: () => "/manage/roster/suggest",
    form: () => ({ intent: "accept", hash: "0000" }),
    status: 409,
    says: [say("roster.proposalChanged")],
  },
  {
    name: "accept, no intent",
    handler: rosterSuggest.action,
    path: () => "/manage/roster/suggest",
    form: () => ({ hash: "0000" }),
    status: 400,
    says: [say("error.badRequest")],
  },
  {
    name: "accept, a bad week",
    handler: rosterSuggest.action,
    path: () => "/manage/roster/suggest",
    form: () => ({ intent: "accept", week: "2026-W99" }),
    status: 400,
    says: [say("roster.badWeek")],
  },

  // --- assign from the grid
  {
    name: "assign, personId 'abc'",
    ...grid(assignForm((fx) => ({ needId: fx.needId, sessionId: fx.sessionId, personId: "abc" }))),
    status: 400,
    says: fieldError("field.number"),
  },
  {
    name: "assign, personId -3",
    ...grid(assignForm((fx) => ({ needId: fx.needId, sessionId: fx.sessionId, personId: -3 }))),
    status: 400,
    says: fieldError("field.range", ID),
  },
  {
    name: "assign, needId missing",
    ...grid((fx) => ({ intent: "assign", sessionId: String(fx.sessionId), personId: String(fx.volunteerId) })),
    status: 400,
    says: fieldError("field.required"),
  },
  {
    name: "assign, intent 'ASSIGN'",
    ...grid(() => ({ intent: "ASSIGN", needId: "1", sessionId: "1", personId: "1" })),
    status: 400,
    says: fieldError("field.choice"),
  },
  {
    name: "assign, unknown need",
    ...grid(assignForm((fx) => ({ needId: 999_999, sessionId: fx.sessionId, personId: fx.volunteerId }))),
    status: 404,
    says: [say("error.not_found")],
  },
  {
    name: "assign, unknown session",
    ...grid(assignForm((fx) => ({ needId: fx.needId, sessionId: 999_999, personId: fx.volunteerId }))),
    status: 404,
    says: [say("error.not_found")],
  },
  {
    name: "assign, unknown person",
    ...grid(assignForm((fx) => ({ needId: fx.needId, sessionId: fx.sessionId, personId: 999_999 }))),
    status: 404,
    says: [say("error.not_found")],
  },
  {
    name: "assign, another station's need",
    ...grid(assignForm((fx) => ({ needId: fx.foreign.needId, sessionId: fx.sessionId, personId: fx.volunteerId }))),
    status: 404,
    says: [say("error.not_found")],
  },
  {
    name: "assign, another station's session",
    ...grid(assignForm((fx) => ({ needId: fx.needId, sessionId: fx.foreign.sessionId, personId: fx.volunteerId }))),
    status: 404,
    says: [say("error.not_found")],
  },
  {
    name: "assign, another station's person",
    ...grid(assignForm((fx) => ({ needId: fx.needId, sessionId: fx.sessionId, personId: fx.foreign.personId }))),
    status: 404,
    says: [say("error.not_found")],
  },
  {
    name: "assign, the need of another series",
    ...grid(assignForm((fx) => ({ needId: fx.otherNeedId, sessionId: fx.sessionId, personId: fx.unqualifiedId }))),
    status: 422,
    says: [say("error.need_session_mismatch")],
  },
  {
    name: "assign, a person without the skill",
    ...grid(assignForm((fx) => ({ needId: fx.needId, sessionId: fx.sessionId, personId: fx.unqualifiedId }))),
    status: 409,
    says: [say("error.not_qualified")],
  },
  {
    name: "assign, the same person on an overlapping shift",
    ...grid(assignForm((fx) => ({ needId: fx.otherNeedId, sessionId: fx.otherSessionId, personId: fx.volunteerId }))),
    status: 409,
    says: (fx) => [say("error.shift_conflict", { title: fx.conflictTitle, when: fx.conflictWhen })],
  },

  // --- one session's roster
  {
    name: "session roster, unknown session",
    handler: sessionRoster.loader,
    path: () => "/manage/sessions/999999/roster",
    params: () => s(999_999),
    status: 404,
    says: [say("error.notFound")],
  },
  {
    name: "session roster, another station's session",
    handler: sessionRoster.loader,
    path: (fx) => `/manage/sessions/${fx.foreign.sessionId}/roster`,
    params: (fx) => s(fx.foreign.sessionId),
    status: 404,
    says: [say("error.notFound")],
  },
  {
    name: "session roster, id 'abc'",
    handler: sessionRoster.loader,
    path: () => "/manage/sessions/abc/roster",
    params: () => ({ id: "abc" }),
    status: 404,
    says: [say("error.notFound")],
  },
  {
    name: "session need, another station's session",
    ...onSession((fx) => fx.foreign.sessionId, sessionNeed({})),
    status: 404,
    says: [say("error.notFound")],
  },
  {
    name: "session need, head count -2",
    ...onSession((fx) => fx.sessionId, sessionNeed({ headCount: "-2" })),
    status: 400,
    says: fieldError("field.range", HEADS),
  },
  {
    name: "session need, head count 0",
    ...onSession((fx) => fx.sessionId, sessionNeed({ headCount: "0" })),
    status: 400,
    says: fieldError("field.range", HEADS),
  },
  {
    name: "session need, head count 51",
    ...onSession((fx) => fx.sessionId, sessionNeed({ headCount: "51" })),
    status: 400,
    says: fieldError("field.range", HEADS),
  },
  {
    name: "session need, set-up 241 minutes",
    ...onSession((fx) => fx.sessionId, sessionNeed({ startOffsetMinutes: "241" })),
    status: 400,
    says: fieldError("field.range", MINUTES),
  },
  {
    name: "session need, set-up -5 minutes",
    ...onSession((fx) => fx.sessionId, sessionNeed({ startOffsetMinutes: "-5" })),
    status: 400,
    says: fieldError("field.range", MINUTES),
  },
  {
    name: "session need, unknown skill",
    ...onSession((fx) => fx.sessionId, sessionNeed({ skillId: "999999" })),
    status: 404,
    says: [say("error.not_found")],
  },
  {
    name: "session need, another station's skill",
    ...onSession(
      (fx) => fx.sessionId,
      (fx) => sessionNeed({ skillId: String(fx.foreign.skillId) })(fx),
    ),
    status: 404,
    says: [say("error.not_found")],
  },
  {
    name: "session, remove the series' need from here",
    ...onSession(
      (fx) => fx.sessionId,
      (fx) => ({ intent: "remove-need", needId: String(fx.needId) }),
    ),
    status: 404,
    says: [say("error.not_found")],
  },
  {
    name: "session, assign on another session's page",
    ...onSession(
      (fx) => fx.otherSessionId,
      assignForm((fx) => ({ needId: fx.needId, sessionId: fx.sessionId, personId: fx.volunteerId })),
    ),
    status: 404,
    says: [say("error.not_found")],
  },
  {
    name: "session, cancel another session's assignment",
    ...onSession(
      (fx) => fx.otherSessionId,
      (fx) => ({ intent: "cancel", assignmentId: String(fx.assignmentId) }),
    ),
    status: 404,
    says: [say("error.not_found")],
  },
  {
    name: "session, attendance before the shift",
    ...onSession(
      (fx) => fx.sessionId,
      (fx) => ({ intent: "attended", assignmentId: String(fx.assignmentId) }),
    ),
    status: 409,
    says: [say("error.attendance_too_early")],
  },
  {
    name: "session, intent 'drop'",
    ...onSession(
      (fx) => fx.sessionId,
      () => ({ intent: "drop" }),
    ),
    status: 400,
    says: fieldError("field.choice"),
  },

  // --- a series' needs
  {
    name: "series needs, another station's series",
    handler: seriesNeeds.loader,
    path: (fx) => `/manage/activities/${fx.foreign.activityId}/needs`,
    params: (fx) => s(fx.foreign.activityId),
    status: 404,
    says: [say("error.notFound")],
  },
  {
    name: "series need, head count -1",
    ...onSeries((fx) => fx.activityId, seriesNeed({ headCount: "-1" })),
    status: 400,
    says: fieldError("field.range", HEADS),
  },
  {
    name: "series need, clear-up 'lots'",
    ...onSeries((fx) => fx.activityId, seriesNeed({ endOffsetMinutes: "lots" })),
    status: 400,
    says: fieldError("field.number"),
  },
  {
    name: "series need, an intent that is none of the page's",
    ...onSeries(
      (fx) => fx.activityId,
      () => ({ intent: "rename", needId: "1" }),
    ),
    status: 400,
    says: [say("error.unknownIntent"), say("field.choice")],
  },
  {
    name: "series need, add to another station's series",
    ...onSeries((fx) => fx.foreign.activityId, seriesNeed({})),
    status: 404,
    says: [say("error.notFound")],
  },
  {
    name: "series need, change another series' need",
    ...onSeries(
      (fx) => fx.activityId,
      (fx) => ({ intent: "update", needId: String(fx.otherNeedId), headCount: "1", startOffsetMinutes: "0", endOffsetMinutes: "0" }),
    ),
    status: 404,
    says: [say("error.not_found")],
  },
  {
    name: "series need, remove another station's need",
    ...onSeries(
      (fx) => fx.activityId,
      (fx) => ({ intent: "remove", needId: String(fx.foreign.needId) }),
    ),
    status: 404,
    says: [say("error.not_found")],
  },
  {
    name: "series need, remove one people are on",
    ...onSeries(
      (fx) => fx.activityId,
      (fx) => ({ intent: "remove", needId: String(fx.needId) }),
    ),
    status: 409,
    says: [say("error.need_in_use")],
  },
];

for (const backend of backends) {
  describe(`roster pages refuse bad input on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    const fx = {} as Fixture;

    beforeAll(async () => {
      const station = await ensureStation(t.db);
      const coordinator = await makeActor(t.db, station.id, ["coordinator"], "协调员");
      fx.token = coordinator.token;
      const cat = await categoryId(t.db, station.id, "tai-chi");
      const a = await seedSeries(t.db, { stationId: station.id, actorAccountId: coordinator.accountId, categoryId: cat });
      const b = await seedSeries(t.db, { stationId: station.id, actorAccountId: coordinator.accountId, categoryId: cat });
      Object.assign(fx, { activityId: a.activityId, sessionId: a.sessionId, otherSessionId: b.sessionId });
      fx.skillId = await makeSkill(t.db, station.id, { nameZh: "量血压", nameEn: "Blood pressure" });
      fx.needId = await makeNeed(t.db, station.id, { activityId: a.activityId, skillId: fx.skillId, headCount: 3 });
      fx.otherNeedId = await makeNeed(t.db, station.id, { activityId: b.activityId, skillId: fx.skillId, headCount: 3 });
      fx.volunteerId = (await makeVolunteer(t.db, station.id, { skills: [{ skillId: fx.skillId }], name: "王志愿" })).personId;
      fx.unqualifiedId = (await makeVolunteer(t.db, station.id, { name: "李无证" })).personId;
      const made = await assign(
        t.db,
        { stationId: station.id, actor: coordinator },
        { needId: fx.needId, sessionId: fx.sessionId, personId: fx.volunteerId },
      );
      fx.assignmentId = made.id;
      const [first] = await t.db.select().from(sessions).where(eq(sessions.id, fx.sessionId));
      fx.conflictTitle = "太极拳晨练";
      fx.conflictWhen = formatWhen(first!.startsAt, first!.endsAt, ZONE);

      const other = await ensureStation(t.db, "elsewhere");
      const otherCoordinator = await makeActor(t.db, other.id, ["coordinator"]);
      const f = await seedSeries(t.db, {
        stationId: other.id,
        actorAccountId: otherCoordinator.accountId,
        categoryId: await categoryId(t.db, other.id, "tai-chi"),
      });
      const foreignSkill = await makeSkill(t.db, other.id);
      fx.foreign = {
        activityId: f.activityId,
        sessionId: f.sessionId,
        skillId: foreignSkill,
        needId: await makeNeed(t.db, other.id, { activityId: f.activityId, skillId: foreignSkill }),
        personId: (await makeVolunteer(t.db, other.id, { skills: [{ skillId: foreignSkill }] })).personId,
      };
    });

    const expected = (c: Case, locale: Locale) => (typeof c.says === "function" ? c.says(fx) : c.says).map((m) => text(locale, m.key, m.params));

    for (const c of CASES) {
      for (const locale of ["zh-CN", "en"] as const) {
        it(`${c.name} → ${c.status} (${locale})`, async () => {
          const before = await countRows(t.db);
          const url = c.path(fx);
          const request = c.form
            ? await postRequest(url, c.form(fx), { token: fx.token, locale })
            : await getRequest(url, { token: fx.token, locale });
          const result = await callSafely(c.handler as Handler, request, c.params?.(fx) ?? {});
          expect(result.status, String(result.body)).toBe(c.status);
          expect(messagesOf(result.body)).toEqual(expected(c, locale));
          expect(await countRows(t.db)).toEqual(before);
        });
      }
    }

    it("the same forms, valid, do write (so the checks above can fail)", async () => {
      const before = await countRows(t.db);
      const fresh = (await makeVolunteer(t.db, (await ensureStation(t.db)).id, { skills: [{ skillId: fx.skillId }], name: "赵新人" })).personId;
      const ok = await callSafely(
        rosterWeek.action as Handler,
        await postRequest("/manage/roster", assignForm(() => ({ needId: fx.needId, sessionId: fx.sessionId, personId: fresh }))(fx), {
          token: fx.token,
        }),
      );
      expect(ok.status, String(ok.body)).toBe(200);
      const added = await callSafely(
        sessionRoster.action as Handler,
        await postRequest(`/manage/sessions/${fx.sessionId}/roster`, sessionNeed({ headCount: "2" })(fx), { token: fx.token }),
        s(fx.sessionId),
      );
      expect(added.status, String(added.body)).toBe(200);
      const after = await countRows(t.db);
      expect(after.roster_needs).toBe(before.roster_needs! + 1);
      expect(after.assignments).toBe(before.assignments! + 1);
      expect(after.audit_log).toBeGreaterThan(before.audit_log!);
    });
  });
}
