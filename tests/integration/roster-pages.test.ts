// The coordinator's roster pages driven through their loaders and actions: the week grid and
// its CSV, the suggestion (accept exactly what was shown, or nothing), one session's roster
// (session-only needs, cancel, attendance) and a series' needs. Times render in the station's
// zone (Asia/Shanghai) while the tests run with TZ=UTC.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { categoryId, ensureStation } from "../support/fixtures";
import { makeActor } from "../support/signup-fixtures";
import { makeAvailability, makeNeed, makeSkill, makeVolunteer } from "../support/roster-fixtures";
import { getRequest, postRequest } from "../support/requests";
import { callSafely, countRows, nextStationMonday, seedSeries, ZONE, type Handler } from "../support/routes-kit";
import { assign, respond } from "../../models/rosters";
import { assignments, sessions } from "../../models/db/schema";
import type { Actor } from "../../models/permissions";

import * as rosterWeek from "../../app/routes/manage.roster";
import * as rosterCsv from "../../app/routes/manage.roster[.]csv";
import * as rosterSuggest from "../../app/routes/manage.roster_.suggest/route";
import * as sessionRoster from "../../app/routes/manage.sessions.$id_.roster/route";
import * as seriesNeeds from "../../app/routes/manage.activities.$id_.needs/route";

interface Cell {
  key: string;
  needId: number;
  sessionId: number;
  skill: string;
  required: number;
  filled: number;
  missing: number;
  inherited: boolean;
  people: { id: number; personId: number; name: string; status: string; attendance: string | null }[];
}
interface Grid {
  week: string;
  prev: string;
  next: string;
  rows: { id: number; date: string; time: string; title: string; shifts: Cell[] }[];
  qualified: Record<number, { id: number; name: string }[]>;
}
interface Suggestion {
  hash: string;
  from: string;
  to: string;
  week: string;
  items: { value: string; name: string; skill: string; title: string }[];
  open: { key: string; skill: string; text: string }[];
}

const weekOf = (isoDate: string) => {
  const d = DateTime.fromISO(isoDate, { zone: ZONE });
  return `${d.weekYear}-W${String(d.weekNumber).padStart(2, "0")}`;
};

for (const backend of backends) {
  describe(`roster pages on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let coordinator: Actor & { token: string };
    let series: { activityId: number; sessionId: number };
    let skillId = 0;
    let needId = 0;
    let volunteers: number[] = [];
    let week = "";

    const get = async (handler: unknown, path: string, params: Record<string, string> = {}, locale?: "en") =>
      callSafely(handler as Handler, await getRequest(path, { token: coordinator.token, locale }), params);
    const post = async (handler: unknown, path: string, form: Record<string, string | string[]>, params: Record<string, string> = {}) =>
      callSafely(handler as Handler, await postRequest(path, form, { token: coordinator.token }), params);
    const grid = async (w = week) => {
      const result = await get(rosterWeek.loader, `/manage/roster?week=${w}`);
      expect(result.status, String(result.body)).toBe(200);
      return result.body as Grid;
    };

    beforeAll(async () => {
      const station = await ensureStation(t.db);
      stationId = station.id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员");
      // From a Monday, so the tested week holds seven sessions whatever weekday the suite runs on
      // (started tomorrow, a Saturday run left one session in the week and the CSV's second row out).
      series = await seedSeries(t.db, {
        stationId,
        actorAccountId: coordinator.accountId,
        categoryId: await categoryId(t.db, stationId, "tai-chi"),
        startDate: nextStationMonday(),
      });
      skillId = await makeSkill(t.db, stationId, { nameZh: "量血压", nameEn: "Blood pressure" });
      needId = await makeNeed(t.db, stationId, { activityId: series.activityId, skillId, headCount: 2, startOffsetMinutes: 15 });
      volunteers = [];
      for (const name of ["王志愿", "李志愿"]) {
        const v = await makeVolunteer(t.db, stationId, { skills: [{ skillId }], name });
        await makeAvailability(
          t.db,
          v.personId,
          [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startTime: "00:00", endTime: "24:00" })),
        );
        volunteers.push(v.personId);
      }
      const [first] = await t.db.select({ startsAt: sessions.startsAt }).from(sessions).where(eq(sessions.id, series.sessionId));
      week = weekOf(DateTime.fromJSDate(first!.startsAt, { zone: ZONE }).toISODate()!);
    });

    it("the week grid lists the week's sessions in Shanghai time, each need as a cell with its gap", async () => {
      const view = await grid();
      expect(view.week).toBe(week);
      const row = view.rows.find((r) => r.id === series.sessionId)!;
      // 07:30 in Shanghai is 23:30 UTC the day before: the date and time are the station's.
      expect(row.time).toBe("07:30–08:30");
      expect(row.title).toBe("太极拳晨练");
      const cell = row.shifts.find((c) => c.needId === needId)!;
      expect(cell).toMatchObject({ skill: "量血压", required: 2, filled: 0, missing: 2, inherited: true, people: [] });
      expect(view.qualified[skillId]!.map((p) => p.id).sort()).toEqual([...volunteers].sort());
      // Prev and next are the neighbouring ISO weeks.
      const monday = DateTime.fromObject({ weekYear: Number(week.slice(0, 4)), weekNumber: Number(week.slice(6)), weekday: 1 }, { zone: ZONE });
      expect(view.prev).toBe(`?week=${weekOf(monday.minus({ weeks: 1 }).toISODate()!)}`);
      expect(view.next).toBe(`?week=${weekOf(monday.plus({ weeks: 1 }).toISODate()!)}`);
    });

    it("English viewers get the skill's English name", async () => {
      const result = await get(rosterWeek.loader, `/manage/roster?week=${week}`, {}, "en");
      const row = (result.body as Grid).rows.find((r) => r.id === series.sessionId)!;
      expect(row.shifts[0]!.skill).toBe("Blood pressure");
    });

    it("assigning from the grid fills the cell with a proposed person", async () => {
      const result = await post(rosterWeek.action, "/manage/roster", {
        intent: "assign",
        needId: String(needId),
        sessionId: String(series.sessionId),
        personId: String(volunteers[0]),
      });
      expect(result.status, String(result.body)).toBe(200);
      expect(result.body).toMatchObject({ ok: true, cell: `${series.sessionId}:${needId}` });
      const cell = (await grid()).rows.find((r) => r.id === series.sessionId)!.shifts.find((c) => c.needId === needId)!;
      expect(cell).toMatchObject({ filled: 1, missing: 1 });
      expect(cell.people).toEqual([expect.objectContaining({ personId: volunteers[0], name: "王志愿", status: "proposed" })]);
    });

    it("the CSV has a BOM, one line per need, the names, and neutralised formulas", async () => {
      // A person whose name a spreadsheet would run as a formula, alone on a session-only need.
      const evil = await makeVolunteer(t.db, stationId, { skills: [{ skillId }], name: '=HYPERLINK("x")' });
      const [second] = await t.db
        .select({ id: sessions.id })
        .from(sessions)
        .where(and(eq(sessions.activityId, series.activityId), sql`${sessions.id} <> ${series.sessionId}`))
        .orderBy(sessions.startsAt)
        .limit(1);
      const ownNeed = await makeNeed(t.db, stationId, { sessionId: second!.id, skillId, headCount: 1 });
      await assign(t.db, { stationId, actor: coordinator }, { needId: ownNeed, sessionId: second!.id, personId: evil.personId });
      const request = await getRequest(`/manage/roster.csv?week=${week}`, { token: coordinator.token });
      const response = (await rosterCsv.loader({ request, params: {}, context: {} })) as Response;
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
      expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="roster-${week}.csv"`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      // The BOM's bytes (a TextDecoder would hide it), so Excel reads the file as UTF-8.
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const body = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
      expect(body.startsWith("\uFEFF日期,时间,活动,岗位,需要人数,已排人数,人员\r\n")).toBe(true);
      expect(body).toContain(",07:15–08:30,太极拳晨练,量血压,2,1,王志愿（待确认）\r\n");
      expect(body).toContain(`"'=HYPERLINK(""x"")（待确认）"`);
      expect(body).not.toMatch(/,=HYPERLINK/);
      // In English: the header, the skill's English name and the status in plain brackets.
      const english = await get(rosterCsv.loader, `/manage/roster.csv?week=${week}`, {}, "en");
      expect(english.body as string).toMatch(/^Date,Time,Activity,Role,Required,Filled,People\r\n/);
      expect(english.body as string).toContain(",07:15–08:30,太极拳晨练,Blood pressure,2,1,王志愿 (to confirm)\r\n");
    });

    it("the suggestion is assigned only when accepted, and only the ticked items", async () => {
      const before = await countRows(t.db, ["assignments"]);
      const shown = await get(rosterSuggest.loader, `/manage/roster/suggest?week=${week}`);
      expect(shown.status, String(shown.body)).toBe(200);
      const view = shown.body as Suggestion;
      expect(view.items.length).toBeGreaterThan(1);
      // Looking at it wrote nothing.
      expect(await countRows(t.db, ["assignments"])).toEqual(before);
      const ticked = view.items.slice(0, -1).map((i) => i.value);
      const result = await post(rosterSuggest.action, "/manage/roster/suggest", {
        intent: "accept",
        hash: view.hash,
        from: view.from,
        to: view.to,
        item: ticked,
      });
      expect(result.status, String(result.body)).toBe(302);
      expect(result.headers.get("Location")).toBe(`/manage/roster?week=${week}&accepted=${ticked.length}`);
      const rows = await t.db
        .select({ needId: assignments.needId, sessionId: assignments.sessionId, personId: assignments.personId, status: assignments.status })
        .from(assignments);
      const keys = rows.map((r) => `${r.needId}:${r.sessionId}:${r.personId}`);
      for (const value of ticked) expect(keys).toContain(value);
      expect(keys).not.toContain(view.items.at(-1)!.value);
      expect(rows.filter((r) => ticked.includes(`${r.needId}:${r.sessionId}:${r.personId}`)).every((r) => r.status === "proposed")).toBe(true);
      // The grid now shows the proposed people.
      const [needOf, sessionOf, personOf] = ticked[0]!.split(":").map(Number) as [number, number, number];
      const cell = (await grid()).rows.find((r) => r.id === sessionOf)!.shifts.find((c) => c.needId === needOf)!;
      expect(cell.people).toContainEqual(expect.objectContaining({ personId: personOf, status: "proposed" }));
    });

    it("a proposal that changed since it was shown is not accepted; the new one comes back", async () => {
      const shown = (await get(rosterSuggest.loader, `/manage/roster/suggest?week=${week}`)).body as Suggestion;
      expect(shown.items.length).toBeGreaterThan(0);
      // Meanwhile someone assigns the first suggested place by hand.
      const [n, s, p] = shown.items[0]!.value.split(":").map(Number) as [number, number, number];
      await assign(t.db, { stationId, actor: coordinator }, { needId: n, sessionId: s, personId: p });
      const before = await countRows(t.db);
      const result = await post(rosterSuggest.action, "/manage/roster/suggest", {
        intent: "accept",
        hash: shown.hash,
        from: shown.from,
        to: shown.to,
        item: shown.items.map((i) => i.value),
      });
      expect(result.status).toBe(409);
      const reply = result.body as { formError: string; view: Suggestion };
      expect(reply.formError).toBe("建议在您查看后有了变化（有人被安排或需求改了）。请看下面的新建议，再决定是否采用。");
      expect(reply.view.hash).not.toBe(shown.hash);
      expect(reply.view.items.map((i) => i.value)).not.toContain(shown.items[0]!.value);
      expect(await countRows(t.db)).toEqual(before);
    });

    it("an item that was not in the proposal is refused, and nothing is assigned", async () => {
      const shown = (await get(rosterSuggest.loader, `/manage/roster/suggest?week=${week}`)).body as Suggestion;
      const before = await countRows(t.db);
      const result = await post(rosterSuggest.action, "/manage/roster/suggest", {
        intent: "accept",
        hash: shown.hash,
        from: shown.from,
        to: shown.to,
        item: [...shown.items.map((i) => i.value), `${needId}:${series.sessionId}:${volunteers[1]}`],
      });
      expect(result.status).toBe(400);
      expect(await countRows(t.db)).toEqual(before);
      const none = await post(rosterSuggest.action, "/manage/roster/suggest", { intent: "accept", hash: shown.hash, from: shown.from, to: shown.to });
      expect(none.status).toBe(400);
      expect((none.body as { formError: string }).formError).toBe("请至少勾选一条建议。");
    });

    it("an open place says why in plain words", async () => {
      // A need nobody holds: the suggestion leaves it open and says so.
      const lonely = await makeSkill(t.db, stationId, { nameZh: "中医", nameEn: "TCM doctor" });
      await makeNeed(t.db, stationId, { sessionId: series.sessionId, skillId: lonely, headCount: 1 });
      const shown = (await get(rosterSuggest.loader, `/manage/roster/suggest?week=${week}`)).body as Suggestion;
      const open = shown.open.find((o) => o.skill === "中医")!;
      expect(open.text).toBe("缺 1 人：没有具备这个岗位资格的人员");
    });

    it("one session's roster: inherited and own needs, add and remove an own need", async () => {
      const path = `/manage/sessions/${series.sessionId}/roster`;
      const params = { id: String(series.sessionId) };
      const added = await post(
        sessionRoster.action,
        path,
        { intent: "add-need", skillId: String(skillId), headCount: "3", startOffsetMinutes: "30", endOffsetMinutes: "10" },
        params,
      );
      expect(added.status, String(added.body)).toBe(200);
      const view = (await get(sessionRoster.loader, path, params)).body as { cells: Cell[]; session: { title: string } };
      const own = view.cells.find((c) => !c.inherited && c.required === 3)!;
      expect(own).toMatchObject({ skill: "量血压", filled: 0, missing: 3 });
      expect((own as Cell & { time: string }).time).toBe("07:00–08:40");
      expect(view.cells.some((c) => c.inherited && c.needId === needId)).toBe(true);
      const removed = await post(sessionRoster.action, path, { intent: "remove-need", needId: String(own.needId) }, params);
      expect(removed.status, String(removed.body)).toBe(200);
      const after = (await get(sessionRoster.loader, path, params)).body as { cells: Cell[] };
      expect(after.cells.some((c) => c.needId === own.needId)).toBe(false);
    });

    it("cancelling an assignment frees the place; attendance is recorded after the shift", async () => {
      const path = `/manage/sessions/${series.sessionId}/roster`;
      const params = { id: String(series.sessionId) };
      const mine = (
        await t.db
          .select()
          .from(assignments)
          .where(and(eq(assignments.sessionId, series.sessionId), eq(assignments.personId, volunteers[0]!)))
      )[0]!;
      const cancelled = await post(sessionRoster.action, path, { intent: "cancel", assignmentId: String(mine.id) }, params);
      expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
      const [row] = await t.db.select({ status: assignments.status }).from(assignments).where(eq(assignments.id, mine.id));
      expect(row!.status).toBe("cancelled");
      // Another one, then the session is moved into the past: now attendance may be recorded.
      const late = await makeVolunteer(t.db, stationId, { skills: [{ skillId }], name: "晚到者" });
      const made = await assign(t.db, { stationId, actor: coordinator }, { needId, sessionId: series.sessionId, personId: late.personId });
      await respond(t.db, { stationId, actor: late }, made.id, "confirm");
      await t.db.execute(
        sql`UPDATE sessions SET starts_at = now() - interval '3 hours', ends_at = now() - interval '2 hours' WHERE id = ${series.sessionId}`,
      );
      await t.db.execute(
        sql`UPDATE assignments SET during = tstzrange(now() - interval '195 minutes', now() - interval '2 hours', '[)') WHERE id = ${made.id}`,
      );
      const marked = await post(sessionRoster.action, path, { intent: "no_show_excused", assignmentId: String(made.id) }, params);
      expect(marked.status, JSON.stringify(marked.body)).toBe(200);
      const [after] = await t.db.select({ attendance: assignments.attendance }).from(assignments).where(eq(assignments.id, made.id));
      expect(after!.attendance).toBe("no_show_excused");
      const view = (await get(sessionRoster.loader, path, params)).body as { cells: (Cell & { started: boolean })[] };
      const cell = view.cells.find((c) => c.needId === needId)!;
      expect(cell.started).toBe(true);
      expect(cell.people).toContainEqual(expect.objectContaining({ id: made.id, attendance: "no_show_excused" }));
    });

    it("a series' needs: add, change, remove", async () => {
      const other = await seedSeries(t.db, {
        stationId,
        actorAccountId: coordinator.accountId,
        categoryId: await categoryId(t.db, stationId, "tai-chi"),
      });
      const path = `/manage/activities/${other.activityId}/needs`;
      const params = { id: String(other.activityId) };
      type Needs = { needs: { id: number; skill: string; headCount: number; startOffsetMinutes: number; endOffsetMinutes: number }[] };
      expect(((await get(seriesNeeds.loader, path, params)).body as Needs).needs).toEqual([]);
      const added = await post(
        seriesNeeds.action,
        path,
        { intent: "add", skillId: String(skillId), headCount: "2", startOffsetMinutes: "30", endOffsetMinutes: "15" },
        params,
      );
      expect(added.status, String(added.body)).toBe(200);
      const [need] = ((await get(seriesNeeds.loader, path, params)).body as Needs).needs;
      expect(need).toMatchObject({ skill: "量血压", headCount: 2, startOffsetMinutes: 30, endOffsetMinutes: 15 });
      const changed = await post(
        seriesNeeds.action,
        path,
        { intent: "update", needId: String(need!.id), headCount: "4", startOffsetMinutes: "0", endOffsetMinutes: "45" },
        params,
      );
      expect(changed.status, String(changed.body)).toBe(200);
      expect(((await get(seriesNeeds.loader, path, params)).body as Needs).needs[0]).toMatchObject({
        id: need!.id,
        headCount: 4,
        startOffsetMinutes: 0,
        endOffsetMinutes: 45,
      });
      // Every session of the series now shows the need.
      const sessionView = (await get(sessionRoster.loader, `/manage/sessions/${other.sessionId}/roster`, { id: String(other.sessionId) })).body as {
        cells: Cell[];
      };
      expect(sessionView.cells).toEqual([expect.objectContaining({ needId: need!.id, inherited: true, required: 4 })]);
      const removed = await post(seriesNeeds.action, path, { intent: "remove", needId: String(need!.id) }, params);
      expect(removed.status, String(removed.body)).toBe(200);
      expect(((await get(seriesNeeds.loader, path, params)).body as Needs).needs).toEqual([]);
    });
  });
}
