import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { categoryId, ensureStation } from "../support/fixtures";
import { ZONE, makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { makeNeed, makeSkill, makeVolunteer } from "../support/roster-fixtures";
import { cancelSignup, signUp } from "../../models/signups";
import { updateSession } from "../../models/sessions";
import { createActivity, updateActivity } from "../../models/activities";
import { assign, respond, updateNeed } from "../../models/rosters";
import { checkIn } from "../../models/desk/checkin";
import { makeApiUser } from "../support/api-fixtures";
import { callApi, expectError } from "../support/api-requests";
import { commitments, sessions, signups } from "../../models/db/schema";
import { PersonConflict, domainErrorOf } from "../../models/errors";
import { refusal } from "../support/refusal";
import { ShiftConflict, SignupConflict } from "../../models/rosters/errors";
import type { Actor } from "../../models/permissions";
import { translator } from "../../models/i18n";
import { domainMessage } from "../../app/lib/domain-error.server";

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** The error a call threw (or a failure if it threw none). */
describe("person_conflict messages", () => {
  it("names the clash by its kind in both languages, and stands without one", () => {
    const named = { name: "王阿姨", title: "太极拳", when: "2026-12-01 09:00–11:00", startsAt: "", endsAt: "" };
    for (const locale of ["zh-CN", "en"] as const) {
      const t = translator(locale);
      const attending = domainMessage(new PersonConflict({ ...named, kind: "attending" }), t);
      const shift = domainMessage(new PersonConflict({ ...named, kind: "shift" }), t);
      for (const text of [attending, shift]) expect(text).toMatch(/王阿姨.*太极拳.*2026-12-01 09:00–11:00/);
      expect(attending).not.toBe(shift);
      expect(domainMessage(new PersonConflict(), t)).not.toMatch(/[{}]/);
    }
    expect(translator("zh-CN")("error.person_conflict_shift", named)).toContain("排了班");
  });

  it("maps an exclusion violation nobody described to a 409, and leaves other errors alone", () => {
    const escaped = new Error("Failed query", { cause: { code: "23P01", constraint: "commitments_no_overlap" } });
    expect(domainErrorOf(escaped)).toMatchObject({ code: "person_conflict", status: 409 });
    expect(domainErrorOf(new Error("Failed query", { cause: { code: "23505" } }))).toBeUndefined();
    expect(domainErrorOf(new Error("boom"))).toBeUndefined();
  });
});

for (const backend of backends) {
  describe(`commitments ledger on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll }, { poolSize: 4 });
    let stationId = 0;
    let coordinator: Actor;
    const ctx = (now?: Date) => ({ stationId, actor: coordinator, now });
    const book = (sessionId: number, personId: number) => signUp(t.db, ctx(), { sessionId, personId, partySize: 1 });
    const ledgerOf = async (personId: number) =>
      (
        await t.db.execute<{ kind: string; signup_id: number | null; assignment_id: number | null; lo: string | Date; hi: string | Date }>(sql`
          SELECT kind, signup_id, assignment_id, lower(during) AS lo, upper(during) AS hi FROM commitments
          WHERE person_id = ${personId} ORDER BY lower(during), id`)
      ).rows.map((r) => ({
        kind: r.kind,
        signupId: r.signup_id === null ? null : Number(r.signup_id),
        assignmentId: r.assignment_id === null ? null : Number(r.assignment_id),
        startsAt: new Date(r.lo).getTime(),
        endsAt: new Date(r.hi).getTime(),
      }));
    const timesOf = async (sessionId: number) => {
      const [row] = await t.db.select({ startsAt: sessions.startsAt, endsAt: sessions.endsAt }).from(sessions).where(eq(sessions.id, sessionId));
      return { startsAt: row!.startsAt.getTime(), endsAt: row!.endsAt.getTime() };
    };
    const signupsOf = async (sessionId: number) =>
      t.db.select({ personId: signups.personId, status: signups.status }).from(signups).where(eq(signups.sessionId, sessionId));

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"]);
    });

    it("the migration's backfill enters old data once, leaving out a double booking from before instead of failing", async () => {
      const [twice, once] = await makePeople(t.db, stationId, 2, "旧数据");
      const a = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 38, title: "旧讲座" });
      const b = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 38, title: "旧义诊" });
      // Rows as they were before the ledger: no trigger, so the double booking gets in.
      await t.db.execute(sql`ALTER TABLE signups DISABLE TRIGGER signup_commitment`);
      try {
        await t.db.insert(signups).values([
          { stationId, sessionId: a.sessionId, personId: twice!, partySize: 1, status: "confirmed", seq: 1 },
          { stationId, sessionId: b.sessionId, personId: twice!, partySize: 1, status: "confirmed", seq: 1 },
          { stationId, sessionId: b.sessionId, personId: once!, partySize: 1, status: "confirmed", seq: 2 },
        ]);
      } finally {
        await t.db.execute(sql`ALTER TABLE signups ENABLE TRIGGER signup_commitment`);
      }
      expect(await ledgerOf(twice!)).toEqual([]);
      const migration = fs.readFileSync(new URL("../../models/db/migrations/0011_commitments.sql", import.meta.url), "utf8");
      const backfill = migration
        .split("--> statement-breakpoint")
        .filter((statement) => /INSERT INTO commitments/.test(statement) && !/\$\$/.test(statement));
      expect(backfill).toHaveLength(2);
      for (const statement of backfill) await t.db.execute(sql.raw(statement));
      expect((await ledgerOf(twice!)).map((c) => c.kind)).toEqual(["attending"]);
      expect((await ledgerOf(once!)).map((c) => c.kind)).toEqual(["attending"]);
      // Run again (or over a ledger already filled): nothing doubles.
      for (const statement of backfill) await t.db.execute(sql.raw(statement));
      expect(await ledgerOf(twice!)).toHaveLength(1);
    });

    it("the engine itself refuses two overlapping rows of one person, whatever wrote them", async () => {
      const [person] = await makePeople(t.db, stationId, 1, "直写");
      const a = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 20 });
      const b = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 20 });
      const first = await book(a.sessionId, person!);
      // A confirmed signup of B written past the model (a bulk import, a script): still refused.
      const insert = t.db.insert(signups).values({ stationId, sessionId: b.sessionId, personId: person!, partySize: 1, status: "confirmed", seq: 1 });
      await expect(insert).rejects.toMatchObject({ cause: { code: "23P01" } });
      expect(await ledgerOf(person!)).toEqual([{ kind: "attending", signupId: first.id, assignmentId: null, ...(await timesOf(a.sessionId)) }]);
    });

    it("follows a signup: a confirmed place holds the session's time, a waitlisted one none, a cancelled one frees it", async () => {
      const [person, filler] = await makePeople(t.db, stationId, 2, "跟随");
      const full = await makeSession(t.db, stationId, { opensDays: 60, capacity: 1, daysAhead: 21 });
      const open = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 22 });
      await book(full.sessionId, filler!);
      const waiting = await book(full.sessionId, person!);
      expect(waiting.status).toBe("waitlisted");
      expect(await ledgerOf(person!)).toEqual([]);
      const confirmed = await book(open.sessionId, person!);
      expect(await ledgerOf(person!)).toEqual([
        { kind: "attending", signupId: confirmed.id, assignmentId: null, ...(await timesOf(open.sessionId)) },
      ]);
      await cancelSignup(t.db, ctx(), confirmed.id);
      expect(await ledgerOf(person!)).toEqual([]);
    });

    it("refuses a signup over another commitment, naming it, and writes nothing", async () => {
      const [person] = await makePeople(t.db, stationId, 1, "李叔");
      const a = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 23, title: "太极拳" });
      const b = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 23, title: "健康讲座" });
      await book(a.sessionId, person!);
      const error = await refusal(book(b.sessionId, person!));
      expect(error).toBeInstanceOf(PersonConflict);
      expect(error.status).toBe(409);
      const when = await timesOf(a.sessionId);
      expect(error.params).toMatchObject({
        name: "李叔1",
        kind: "attending",
        title: "太极拳",
        startsAt: new Date(when.startsAt).toISOString(),
        endsAt: new Date(when.endsAt).toISOString(),
      });
      expect(String(error.params.when)).toMatch(/^\d{4}-\d{2}-\d{2} 09:00–11:00$/);
      expect(await signupsOf(b.sessionId)).toEqual([]);
      const [row] = await t.db.select({ taken: sessions.taken, seq: sessions.signupSeq }).from(sessions).where(eq(sessions.id, b.sessionId));
      expect(row).toEqual({ taken: 0, seq: 0 });
    });

    it("lets a person wait for two sessions at one hour, but not queue on top of a place they hold", async () => {
      const [person] = await makePeople(t.db, stationId, 1, "排队");
      const first = await makeSession(t.db, stationId, { opensDays: 60, capacity: 0, daysAhead: 24 });
      const second = await makeSession(t.db, stationId, { opensDays: 60, capacity: 0, daysAhead: 24 });
      const held = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 25 });
      const clash = await makeSession(t.db, stationId, { opensDays: 60, capacity: 0, daysAhead: 25, title: "满员讲座" });
      expect((await book(first.sessionId, person!)).status).toBe("waitlisted");
      expect((await book(second.sessionId, person!)).status).toBe("waitlisted");
      await book(held.sessionId, person!);
      const error = await refusal(book(clash.sessionId, person!));
      expect(error).toMatchObject({ code: "person_conflict", params: { kind: "attending", title: "公益义诊" } });
      expect(await signupsOf(clash.sessionId)).toEqual([]);
    });

    it("promotion skips a waiting person who is elsewhere by then and takes the next one", async () => {
      const [filler, busy, free] = await makePeople(t.db, stationId, 3, "候补");
      const session = await makeSession(t.db, stationId, { opensDays: 60, capacity: 1, daysAhead: 26 });
      const other = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 26, title: "书法班" });
      const place = await book(session.sessionId, filler!);
      await book(session.sessionId, busy!);
      await book(session.sessionId, free!);
      // Waiting holds no time, so the first in line could take a place elsewhere at that hour.
      await book(other.sessionId, busy!);
      const { promoted } = await cancelSignup(t.db, ctx(), place.id);
      const rows = await signupsOf(session.sessionId);
      expect(rows.find((r) => r.personId === busy)!.status).toBe("waitlisted");
      expect(rows.find((r) => r.personId === free)!.status).toBe("confirmed");
      expect(promoted).toHaveLength(1);
      const [counts] = await t.db
        .select({ taken: sessions.taken, waiting: sessions.waitlistedParties })
        .from(sessions)
        .where(eq(sessions.id, session.sessionId));
      expect(counts).toEqual({ taken: 1, waiting: 1 });
      expect((await ledgerOf(free!)).map((c) => c.kind)).toEqual(["attending"]);
    });

    it("a moved session takes its people's time along, and a move onto someone's other commitment is refused naming them", async () => {
      const [person] = await makePeople(t.db, stationId, 1, "张伯");
      const a = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 27, title: "八段锦" });
      const b = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 28 });
      await book(a.sessionId, person!);
      const signup = await book(b.sessionId, person!);
      const before = await timesOf(b.sessionId);
      const actor = { stationId, actorAccountId: coordinator.accountId };
      const error = await refusal(updateSession(t.db, actor, b.sessionId, { startsAt: new Date((await timesOf(a.sessionId)).startsAt + HOUR) }));
      expect(error).toMatchObject({ code: "person_conflict", status: 409, params: { name: "张伯1", kind: "attending", title: "八段锦" } });
      expect(await timesOf(b.sessionId)).toEqual(before);
      const later = new Date(before.startsAt + 3 * HOUR);
      await updateSession(t.db, actor, b.sessionId, { startsAt: later });
      const row = (await ledgerOf(person!)).find((c) => c.signupId === signup.id);
      expect(row).toMatchObject({ startsAt: later.getTime(), endsAt: later.getTime() + 2 * HOUR });
    });

    it("a cancelled session frees its people's time; restoring it takes it back, or is refused if they are elsewhere now", async () => {
      const [kept, moved] = await makePeople(t.db, stationId, 2, "恢复");
      const a = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 29 });
      const b = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 29, title: "手工课" });
      const actor = { stationId, actorAccountId: coordinator.accountId };
      await book(a.sessionId, kept!);
      await book(a.sessionId, moved!);
      await updateSession(t.db, actor, a.sessionId, { status: "cancelled" });
      expect(await ledgerOf(kept!)).toEqual([]);
      expect(await ledgerOf(moved!)).toEqual([]);
      await updateSession(t.db, actor, a.sessionId, { status: "scheduled" });
      expect((await ledgerOf(kept!)).map((c) => c.kind)).toEqual(["attending"]);
      await updateSession(t.db, actor, a.sessionId, { status: "cancelled" });
      // Meanwhile one of them took another session at that hour.
      await book(b.sessionId, moved!);
      const error = await refusal(updateSession(t.db, actor, a.sessionId, { status: "scheduled" }));
      expect(error).toMatchObject({ code: "person_conflict", params: { name: "恢复2", kind: "attending", title: "手工课" } });
      const [row] = await t.db.select({ status: sessions.status }).from(sessions).where(eq(sessions.id, a.sessionId));
      expect(row!.status).toBe("cancelled");
      expect(await ledgerOf(kept!)).toEqual([]);
    });

    it("a shift holds its time with set-up and clear-up; a signup into it is refused naming the shift; leaving it frees the time", async () => {
      const skillId = await makeSkill(t.db, stationId);
      const helper = await makeVolunteer(t.db, stationId, { skills: [{ skillId }], name: "赵医生" });
      const work = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 30, title: "义诊" });
      const needId = await makeNeed(t.db, stationId, { sessionId: work.sessionId, skillId, startOffsetMinutes: 30, endOffsetMinutes: 15 });
      const shift = await assign(t.db, { stationId, actor: coordinator }, { needId, sessionId: work.sessionId, personId: helper.personId });
      const span = await timesOf(work.sessionId);
      expect(await ledgerOf(helper.personId)).toEqual([
        { kind: "shift", signupId: null, assignmentId: shift.id, startsAt: span.startsAt - 30 * MINUTE, endsAt: span.endsAt + 15 * MINUTE },
      ]);
      // A session that starts in the clear-up minutes clashes with the shift.
      const lecture = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 30, title: "讲座" });
      await updateSession(t.db, { stationId, actorAccountId: coordinator.accountId }, lecture.sessionId, {
        startsAt: new Date(span.endsAt + 10 * MINUTE),
      });
      const error = await refusal(book(lecture.sessionId, helper.personId));
      expect(error).toMatchObject({ code: "person_conflict", params: { name: "赵医生", kind: "shift", title: "义诊" } });
      expect(String(error.params.when)).toMatch(/08:30–11:15$/);
      // Longer clear-up minutes re-time the ledger row too.
      await updateNeed(t.db, { stationId, actor: coordinator }, needId, { endOffsetMinutes: 5 });
      expect((await ledgerOf(helper.personId))[0]).toMatchObject({ endsAt: span.endsAt + 5 * MINUTE });
      expect((await book(lecture.sessionId, helper.personId)).status).toBe("confirmed");
      await expect(updateNeed(t.db, { stationId, actor: coordinator }, needId, { endOffsetMinutes: 30 })).rejects.toMatchObject({
        code: "need_retime_signup_conflict",
        params: { name: "赵医生", title: "讲座" },
      });
      await respond(t.db, { stationId, actor: coordinator }, shift.id, "cancel");
      expect((await ledgerOf(helper.personId)).map((c) => c.kind)).toEqual(["attending"]);
    });

    it("an assignment over a session the person attends is refused naming it; over another shift, naming that", async () => {
      const skillId = await makeSkill(t.db, stationId);
      const helper = await makeVolunteer(t.db, stationId, { skills: [{ skillId }], name: "钱护士" });
      const attended = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 31, title: "合唱团" });
      const worked = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 31, title: "量血压" });
      const third = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 32, title: "义剪" });
      const fourth = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 32, title: "义诊" });
      await book(attended.sessionId, helper.personId);
      const need = await makeNeed(t.db, stationId, { sessionId: worked.sessionId, skillId });
      const roster = { stationId, actor: coordinator };
      await expect(assign(t.db, roster, { needId: need, sessionId: worked.sessionId, personId: helper.personId })).rejects.toBeInstanceOf(
        SignupConflict,
      );
      const needThird = await makeNeed(t.db, stationId, { sessionId: third.sessionId, skillId });
      const needFourth = await makeNeed(t.db, stationId, { sessionId: fourth.sessionId, skillId });
      await assign(t.db, roster, { needId: needThird, sessionId: third.sessionId, personId: helper.personId });
      const error = await refusal(assign(t.db, roster, { needId: needFourth, sessionId: fourth.sessionId, personId: helper.personId }));
      expect(error).toBeInstanceOf(ShiftConflict);
      expect(error.params.title).toBe("义剪");
      expect((await ledgerOf(helper.personId)).map((c) => c.kind)).toEqual(["attending", "shift"]);
    });

    it("seating someone at the door who holds a place elsewhere then is refused naming it, and seats nobody", async () => {
      const [person] = await makePeople(t.db, stationId, 1, "门口");
      const booked = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 35, title: "老年大学" });
      const door = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 35, title: "义诊" });
      await book(booked.sessionId, person!);
      const error = await refusal(checkIn(t.db, ctx(door.startsAt), { sessionId: door.sessionId, personId: person! }));
      expect(error).toMatchObject({ code: "person_conflict", status: 409, params: { name: "门口1", kind: "attending", title: "老年大学" } });
      expect(await signupsOf(door.sessionId)).toEqual([]);
      const [row] = await t.db.select({ seq: sessions.signupSeq }).from(sessions).where(eq(sessions.id, door.sessionId));
      expect(row!.seq).toBe(0);
    });

    it("the API answers a clash 409 person_conflict, naming it in the caller's language and in params", async () => {
      const resident = await makeApiUser(t.db, stationId, ["resident"], "周阿姨");
      const a = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 36, title: "剪纸课" });
      const b = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 36, title: "健康讲座" });
      const post = (sessionId: number, lang?: string) =>
        callApi("api.v1.sessions.$id.signups", "POST", { token: resident.token, params: { id: String(sessionId) }, lang });
      expect((await post(a.sessionId)).status).toBe(201);
      const zh = expectError(await post(b.sessionId), 409, "person_conflict");
      expect(zh.message).toBe(`周阿姨 在这个时间已经报名参加了：剪纸课（${String(zh.params!.when)}）。一个人不能同时在两个地方。`);
      expect(zh.params).toMatchObject({ name: "周阿姨", kind: "attending", title: "剪纸课", startsAt: a.startsAt.toISOString() });
      const en = expectError(await post(b.sessionId, "en"), 409, "person_conflict");
      expect(en.message).toContain("already signed up to attend 剪纸课");
      expect(await signupsOf(b.sessionId)).toEqual([]);
    });

    it("a series edit that would move a session onto one of its people's other commitments is refused whole, naming them", async () => {
      const [person] = await makePeople(t.db, stationId, 1, "系列");
      const date = DateTime.now().setZone(ZONE).plus({ days: 37 }).toISODate()!;
      const input = {
        categoryId: await categoryId(t.db, stationId, "clinic"),
        title: "糖尿病讲座",
        description: "",
        location: "驿站活动室",
        leader: "",
        capacity: 10,
        durationMinutes: 60,
        startDate: date,
        startTime: "09:00",
        rule: null,
        exdates: [],
        signupOpensDays: 60,
      };
      const actx = { stationId, timeZone: ZONE, actorAccountId: coordinator.accountId, horizonDays: 60 };
      const activityId = await createActivity(t.db, actx, input);
      const [series] = await t.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.activityId, activityId));
      const other = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 37, title: "书画展" });
      // The other session at 10:30–12:30, after the lecture (09:00–10:00).
      await updateSession(t.db, { stationId, actorAccountId: coordinator.accountId }, other.sessionId, {
        startsAt: new Date(other.startsAt.getTime() + 90 * MINUTE),
      });
      await book(series!.id, person!);
      await book(other.sessionId, person!);
      const error = await refusal(updateActivity(t.db, actx, activityId, { ...input, startTime: "10:00" }));
      expect(error).toMatchObject({ code: "person_conflict", status: 409, params: { name: "系列1", kind: "attending", title: "书画展" } });
      const [after] = await t.db.select({ startsAt: sessions.startsAt }).from(sessions).where(eq(sessions.id, series!.id));
      expect(DateTime.fromJSDate(after!.startsAt, { zone: ZONE }).toFormat("HH:mm")).toBe("09:00");
      // An edit that keeps clear of it goes through, and the ledger follows.
      await updateActivity(t.db, actx, activityId, { ...input, startTime: "08:00" });
      expect((await ledgerOf(person!)).map((c) => DateTime.fromMillis(c.startsAt, { zone: ZONE }).toFormat("HH:mm"))).toEqual(["08:00", "10:30"]);
    });

    it("a moved session whose shift would now collide with its helper's signup cancels that shift, as a shift clash does", async () => {
      const skillId = await makeSkill(t.db, stationId);
      const helper = await makeVolunteer(t.db, stationId, { skills: [{ skillId }], name: "孙老师" });
      const worked = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 33 });
      const attended = await makeSession(t.db, stationId, { opensDays: 60, capacity: 5, daysAhead: 34, title: "茶话会" });
      const needId = await makeNeed(t.db, stationId, { sessionId: worked.sessionId, skillId });
      const shift = await assign(t.db, { stationId, actor: coordinator }, { needId, sessionId: worked.sessionId, personId: helper.personId });
      await book(attended.sessionId, helper.personId);
      await updateSession(t.db, { stationId, actorAccountId: coordinator.accountId }, worked.sessionId, {
        startsAt: new Date((await timesOf(attended.sessionId)).startsAt),
      });
      const rows = await t.db.select({ kind: commitments.kind }).from(commitments).where(eq(commitments.assignmentId, shift.id));
      expect(rows).toEqual([]);
      expect((await ledgerOf(helper.personId)).map((c) => c.kind)).toEqual(["attending"]);
    });
  });
}
