// The roster picker (ADR 30): before anything is submitted it marks each person free, already on
// this shift, clashing with another commitment of the ledger (set-up minutes included, and saying
// with what), or without the skill; the search is a GET (?need=&q=). The model stays the check:
// assigning the clashing person is refused, naming the clash. Scoped by station.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { categoryId, ensureStation } from "../support/fixtures";
import { makeActor } from "../support/signup-fixtures";
import { makeNeed, makeSkill, makeVolunteer } from "../support/roster-fixtures";
import { getRequest, postRequest } from "../support/requests";
import { callSafely, messagesOf, nextStationMonday, seedSeries, ZONE, type Handler } from "../support/routes-kit";
import { createActivity } from "../../models/activities";
import { assign, pickerCandidates } from "../../models/rosters";
import { signUp } from "../../models/signups";
import { sessions } from "../../models/db/schema";
import type { Actor } from "../../models/permissions";
import * as sessionRoster from "../../app/routes/manage.sessions.$id_.roster/route";

interface PickerPerson {
  personId: number;
  name: string;
  free: boolean;
  marks: { kind: string; text: string }[];
}
interface Page {
  cells: { needId: number; picker: { q: string; searched: boolean; people: PickerPerson[] } | null }[];
}

for (const backend of backends) {
  describe(`the roster picker on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let coordinator: Actor & { token: string };
    let sessionId = 0;
    let needId = 0;
    const people = {} as Record<"free" | "assigned" | "clashing" | "unskilled", number>;
    const clashTitle = "晨间健康讲座";

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员");
      const tai = await categoryId(t.db, stationId, "tai-chi");
      // Daily 07:30–08:30 Shanghai; the need's 30 set-up minutes make the shift 07:00–08:30.
      const day = nextStationMonday();
      const series = await seedSeries(t.db, { stationId, actorAccountId: coordinator.accountId, categoryId: tai, startDate: day });
      sessionId = series.sessionId;
      const skillId = await makeSkill(t.db, stationId, { nameZh: "量血压", nameEn: "Blood pressure" });
      needId = await makeNeed(t.db, stationId, { activityId: series.activityId, skillId, headCount: 3, startOffsetMinutes: 30 });
      people.free = (await makeVolunteer(t.db, stationId, { skills: [{ skillId }], name: "甲有空" })).personId;
      people.assigned = (await makeVolunteer(t.db, stationId, { skills: [{ skillId }], name: "乙已排" })).personId;
      people.clashing = (await makeVolunteer(t.db, stationId, { skills: [{ skillId }], name: "丙冲突" })).personId;
      people.unskilled = (await makeVolunteer(t.db, stationId, { name: "丁无技能" })).personId;
      await assign(t.db, { stationId, actor: coordinator }, { needId, sessionId, personId: people.assigned });
      // 丙 is booked (confirmed: a row of the ledger) on a talk 06:15–07:15 that day: it overlaps
      // only the set-up minutes, so a check that forgot them would call 丙 free.
      const talk = await createActivity(
        t.db,
        { stationId, timeZone: ZONE, actorAccountId: coordinator.accountId, horizonDays: 60 },
        {
          categoryId: tai,
          title: clashTitle,
          description: "",
          location: "会议室",
          leader: "",
          capacity: 10,
          durationMinutes: 60,
          startDate: day,
          startTime: "06:15",
          rule: null,
          exdates: [],
        },
      );
      const [talkSession] = await t.db
        .select({ id: sessions.id })
        .from(sessions)
        .where(eq(sessions.activityId, talk))
        .orderBy(asc(sessions.startsAt));
      await signUp(t.db, { stationId, actor: coordinator }, { sessionId: talkSession!.id, personId: people.clashing, partySize: 1 });
    });

    const load = async (search = "", locale?: "en") => {
      const result = await callSafely(
        sessionRoster.loader as Handler,
        await getRequest(`/manage/sessions/${sessionId}/roster${search}`, { token: coordinator.token, locale }),
        { id: String(sessionId) },
      );
      expect(result.status, String(result.body)).toBe(200);
      return (result.body as Page).cells.find((c) => c.needId === needId)!.picker!;
    };
    const byId = (list: PickerPerson[], id: number) => list.find((p) => p.personId === id)!;

    it("the model marks each person: free, on this shift, clashing with what, without the skill", async () => {
      const { candidates } = await pickerCandidates(t.db, stationId, { needId, sessionId, q: "" });
      // With no search: the people holding the skill, by name.
      expect(candidates.map((c) => c.personId).sort()).toEqual([people.free, people.assigned, people.clashing].sort());
      const of = (id: number) => candidates.find((c) => c.personId === id)!;
      expect(of(people.free)).toMatchObject({ qualified: true, assigned: false, clash: null });
      expect(of(people.assigned)).toMatchObject({ qualified: true, assigned: true, clash: null });
      const clash = of(people.clashing).clash!;
      expect(clash).toMatchObject({ kind: "attending", title: clashTitle });
      expect(DateTime.fromJSDate(clash.startsAt, { zone: ZONE }).toFormat("HH:mm")).toBe("06:15");
      const found = await pickerCandidates(t.db, stationId, { needId, sessionId, q: "无技能" });
      expect(found.candidates).toEqual([expect.objectContaining({ personId: people.unskilled, qualified: false, assigned: false, clash: null })]);
    });

    it("the page says so in words before anything is sent; only the free person gets a button", async () => {
      const picker = await load();
      expect(picker.searched).toBe(false);
      expect(byId(picker.people, people.free)).toMatchObject({ free: true, marks: [{ kind: "free", text: "有空" }] });
      expect(byId(picker.people, people.assigned)).toMatchObject({ free: false, marks: [{ kind: "assigned", text: "已在这个班次" }] });
      expect(byId(picker.people, people.clashing)).toMatchObject({
        free: false,
        marks: [{ kind: "clash", text: `时间冲突：已报名参加：${clashTitle}（06:15–07:15）` }],
      });
      const en = await load("", "en");
      expect(byId(en.people, people.clashing).marks[0]!.text).toBe(`Clash: signed up to attend ${clashTitle} (06:15–07:15)`);
    });

    it("searches with a plain GET (?need=&q=) and marks a person without the skill", async () => {
      const picker = await load(`?need=${needId}&q=${encodeURIComponent("丁")}`);
      expect(picker).toMatchObject({ q: "丁", searched: true });
      expect(picker.people).toEqual([
        expect.objectContaining({ personId: people.unskilled, free: false, marks: [{ kind: "missingSkill", text: "没有「量血压」技能" }] }),
      ]);
      // A search for another shift leaves this one's list as it was.
      expect((await load(`?need=${needId + 1000}&q=${encodeURIComponent("丁")}`)).searched).toBe(false);
      for (const bad of ["?need=abc", `?need=${needId}&q=${"长".repeat(41)}`]) {
        const result = await callSafely(
          sessionRoster.loader as Handler,
          await getRequest(`/manage/sessions/${sessionId}/roster${bad}`, { token: coordinator.token }),
          {
            id: String(sessionId),
          },
        );
        expect(result.status, bad).toBe(400);
      }
    });

    it("the model stays the check: assigning the clashing person is refused naming the clash; the free one is assigned", async () => {
      const post = async (personId: number) =>
        callSafely(
          sessionRoster.action as Handler,
          await postRequest(
            `/manage/sessions/${sessionId}/roster`,
            { intent: "assign", needId: String(needId), sessionId: String(sessionId), personId: String(personId) },
            { token: coordinator.token },
          ),
          { id: String(sessionId) },
        );
      const refused = await post(people.clashing);
      expect(refused.status).toBe(409);
      expect(messagesOf(refused.body).join(" ")).toContain(clashTitle);
      const done = await post(people.free);
      expect(done.status, String(done.body)).toBe(200);
      expect(byId((await load()).people, people.free).marks).toEqual([{ kind: "assigned", text: "已在这个班次" }]);
    });

    it("is scoped by station and by shift: another station, or a need not of this session, finds nobody", async () => {
      const elsewhere = (await ensureStation(t.db, "elsewhere")).id;
      expect((await pickerCandidates(t.db, elsewhere, { needId, sessionId, q: "" })).candidates).toEqual([]);
      expect((await pickerCandidates(t.db, elsewhere, { needId, sessionId, q: "甲" })).candidates).toEqual([]);
      const [other] = await t.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.stationId, stationId)).orderBy(asc(sessions.id));
      const foreignNeed = await makeNeed(t.db, stationId, {
        sessionId: other!.id === sessionId ? sessionId + 1 : other!.id,
        skillId: await makeSkill(t.db, stationId),
      });
      expect((await pickerCandidates(t.db, stationId, { needId: foreignNeed, sessionId, q: "甲" })).candidates).toEqual([]);
    });
  });
}
