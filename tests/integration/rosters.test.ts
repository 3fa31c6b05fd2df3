import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { countingStatements } from "../support/statements";
import { ZONE, makeActor, makeSession } from "../support/signup-fixtures";
import { makeAvailability, makeBlackout, makeNeed, makeSeries, makeSkill, makeVolunteer } from "../support/roster-fixtures";
import { signUp } from "../../models/signups";
import { assignments, auditLog, manualHours, notifications, people, serviceGroupMembers, serviceGroups, sessions } from "../../models/db/schema";
import { DomainError, NotAllowed, NotFound } from "../../models/errors";
import type { Actor } from "../../models/permissions";
import type { DbOrTx } from "../../models/db";
import {
  addManualHours,
  addNeed,
  assign,
  cancelSessionAssignments,
  confirmPersonSkill,
  createSkill,
  listSkills,
  updateSkill,
  getSessionRoster,
  hoursExport,
  hoursFor,
  listMyShifts,
  openShiftsFor,
  qualifiedPeople,
  qualifiedPeopleBySkill,
  removeNeed,
  respond,
  retimeSessionAssignments,
  sessionShifts,
  setPersonSkill,
  updateNeed,
  weekShifts,
} from "../../models/rosters";
import {
  AssignmentState,
  AttendanceTooEarly,
  BlackoutDay,
  InvalidRosterInput,
  SkillSlugTaken,
  NeedFull,
  NeedInUse,
  NeedRetimeConflict,
  NeedRetimeSignupConflict,
  NeedRetimeWeeklyLimit,
  NeedSessionMismatch,
  NotQualified,
  ShiftClosed,
  ShiftConflict,
  ShiftRoleRequired,
  SignupConflict,
  WeeklyLimit,
} from "../../models/rosters/errors";
import { ProposalItemRefused } from "../../models/rosters/suggest-input";

const HOUR = 3_600_000;

describe("roster error messages", () => {
  it("every roster error code has a Chinese and an English message, filling its params", async () => {
    const { rosterCoreZh, rosterCoreEn } = await import("../../models/i18n/parts/roster-core");
    const errors = [
      new ShiftConflict("太极拳", "2026-12-01 07:30–08:30"),
      new SignupConflict("健康讲座", "2026-12-01 15:00–16:30"),
      new NotQualified(),
      new NeedFull(),
      new WeeklyLimit(12),
      new ShiftClosed(),
      new BlackoutDay(),
      new NeedSessionMismatch(),
      new AssignmentState("cancelled"),
      new AttendanceTooEarly(),
      new NeedInUse(),
      new NeedRetimeConflict("王阿姨", "太极拳", "2026-12-01 07:30–08:30"),
      new NeedRetimeWeeklyLimit("王阿姨", 4),
      new NeedRetimeSignupConflict("王阿姨", "健康讲座", "2026-12-01 07:30–08:30"),
      new ShiftRoleRequired(),
      new ProposalItemRefused(2, { needId: 4, sessionId: 5, personId: 6 }, "shift_conflict"),
      // Said when a person is put on a shift they already hold.
      new DomainError("already_assigned", 409),
    ];
    // Ids and the refusing error's code are for programs (the API's params), not for the reader.
    const forPrograms = new Set(["status", "needId", "sessionId", "personId", "reason"]);
    for (const error of errors) {
      const key = `error.${error.code}` as keyof typeof rosterCoreZh;
      expect(rosterCoreZh[key], key).toBeTruthy();
      expect(rosterCoreEn[key], key).toBeTruthy();
      for (const param of Object.keys(error.params).filter((p) => !forPrograms.has(p))) {
        expect(rosterCoreZh[key], `${key} {${param}}`).toContain(`{${param}}`);
        expect(rosterCoreEn[key], `${key} {${param}}`).toContain(`{${param}}`);
      }
    }
  });
});

for (const backend of backends) {
  describe(`rosters on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let coordinator: Actor;
    const ctx = (actor: Actor, now?: Date) => ({ stationId, actor, now });
    /** Moves a session `hours` later, straight in the table (no model rule runs). */
    const moveLater = (db: DbOrTx, sessionId: number, hours: number) =>
      db
        .update(sessions)
        .set({ startsAt: sql`starts_at + ${hours}::int * interval '1 hour'`, endsAt: sql`ends_at + ${hours}::int * interval '1 hour'` })
        .where(eq(sessions.id, sessionId));
    const statusOf = async (id: number) =>
      (await t.db.select({ s: assignments.status, a: assignments.attendance }).from(assignments).where(eq(assignments.id, id)))[0]!;
    const countAssignments = async () => (await t.db.select({ n: sql<number>`count(*)::int` }).from(assignments))[0]!.n;

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"]);
    });

    describe("qualification", () => {
      it("refuses a restricted skill until a coordinator confirms it, then allows it", async () => {
        const doctor = await makeSkill(t.db, stationId, { restricted: true });
        const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 4 });
        const needId = await makeNeed(t.db, stationId, { sessionId, skillId: doctor, headCount: 2 });
        const claimant = await makeVolunteer(t.db, stationId, { roles: ["doctor"] });
        // Claimed by the person themself: stays unconfirmed.
        expect(await setPersonSkill(t.db, ctx(claimant), { personId: claimant.personId, skillId: doctor, specialty: "内科" })).toEqual({
          confirmed: false,
        });
        expect(await qualifiedPeople(t.db, stationId, doctor)).toEqual([]);
        const before = await countAssignments();
        await expect(assign(t.db, ctx(claimant), { needId, sessionId, personId: claimant.personId })).rejects.toBeInstanceOf(NotQualified);
        await expect(assign(t.db, ctx(coordinator), { needId, sessionId, personId: claimant.personId })).rejects.toBeInstanceOf(NotQualified);
        expect(await countAssignments()).toBe(before);
        // Only staff confirm.
        await expect(confirmPersonSkill(t.db, ctx(claimant), claimant.personId, doctor)).rejects.toBeInstanceOf(NotAllowed);
        await confirmPersonSkill(t.db, ctx(coordinator), claimant.personId, doctor);
        expect((await qualifiedPeople(t.db, stationId, doctor)).map((p) => p.id)).toEqual([claimant.personId]);
        expect(await assign(t.db, ctx(claimant), { needId, sessionId, personId: claimant.personId })).toMatchObject({ status: "confirmed" });
      });

      it("a person changing the specialty of a confirmed restricted skill loses the confirmation", async () => {
        const nurse = await makeSkill(t.db, stationId, { restricted: true });
        const v = await makeVolunteer(t.db, stationId, { skills: [{ skillId: nurse, specialty: "社区护理" }] });
        expect((await qualifiedPeople(t.db, stationId, nurse)).map((p) => p.id)).toContain(v.personId);
        await setPersonSkill(t.db, ctx(v), { personId: v.personId, skillId: nurse, specialty: "急诊" });
        expect((await qualifiedPeople(t.db, stationId, nurse)).map((p) => p.id)).not.toContain(v.personId);
      });

      it("qualified people for several skills at once: each skill's list by name, one statement for all", async () => {
        const [first, second, unheld, restricted] = [
          await makeSkill(t.db, stationId),
          await makeSkill(t.db, stationId),
          await makeSkill(t.db, stationId),
          await makeSkill(t.db, stationId, { restricted: true }),
        ];
        const zhang = await makeVolunteer(t.db, stationId, { name: "张三", skills: [{ skillId: first }, { skillId: second, specialty: "内科" }] });
        const li = await makeVolunteer(t.db, stationId, { name: "李四", skills: [{ skillId: first }] });
        await makeVolunteer(t.db, stationId, { name: "王五", skills: [{ skillId: restricted, confirmed: false }] });
        const ids = [first, second, unheld, restricted];
        const { result, statements } = await countingStatements(t.db, () => qualifiedPeopleBySkill(t.db, stationId, ids));
        expect(statements).toBe(1);
        expect([...result.keys()]).toEqual(ids);
        // Each list is the one the skill asked alone gives, in the same order (by name, then id).
        for (const id of ids) expect(result.get(id)).toEqual(await qualifiedPeople(t.db, stationId, id));
        expect(
          result
            .get(first)!
            .map((p) => p.id)
            .sort(),
        ).toEqual([zhang.personId, li.personId].sort());
        expect(result.get(second)).toEqual([{ id: zhang.personId, name: "张三", specialty: "内科" }]);
        expect(result.get(unheld)).toEqual([]);
        // Restricted and not confirmed: not qualified.
        expect(result.get(restricted)).toEqual([]);
        expect((await qualifiedPeopleBySkill(t.db, stationId, [])).size).toBe(0);
      });

      it("only volunteers and doctors take a shift themselves; staff may still put a resident on one", async () => {
        const skill = await makeSkill(t.db, stationId);
        const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 4 });
        const needId = await makeNeed(t.db, stationId, { sessionId, skillId: skill, headCount: 3 });
        const resident = await makeVolunteer(t.db, stationId, { roles: ["resident"], skills: [{ skillId: skill }] });
        const before = await countAssignments();
        const error = await assign(t.db, ctx(resident), { needId, sessionId, personId: resident.personId }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ShiftRoleRequired);
        expect((error as ShiftRoleRequired).status).toBe(403);
        expect(await countAssignments()).toBe(before);
        const doctor = await makeVolunteer(t.db, stationId, { roles: ["resident", "doctor"], skills: [{ skillId: skill }] });
        expect(await assign(t.db, ctx(doctor), { needId, sessionId, personId: doctor.personId })).toMatchObject({ status: "confirmed" });
        expect(await assign(t.db, ctx(coordinator), { needId, sessionId, personId: resident.personId })).toMatchObject({ status: "proposed" });
      });

      it("nobody but staff assigns someone else", async () => {
        const skill = await makeSkill(t.db, stationId);
        const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 4 });
        const needId = await makeNeed(t.db, stationId, { sessionId, skillId: skill });
        const a = await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] });
        const b = await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] });
        await expect(assign(t.db, ctx(a), { needId, sessionId, personId: b.personId })).rejects.toBeInstanceOf(NotAllowed);
      });
    });

    describe("refusals", () => {
      it("refuses a shift overlapping a session the person signed up to attend, naming it", async () => {
        const skill = await makeSkill(t.db, stationId);
        const v = await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] });
        const attend = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 5, title: "健康讲座" });
        await signUp(t.db, { stationId, actor: v }, { sessionId: attend.sessionId, personId: v.personId, partySize: 1 });
        const work = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 5, title: "公益义诊" });
        const needId = await makeNeed(t.db, stationId, { sessionId: work.sessionId, skillId: skill, startOffsetMinutes: 30 });
        const error = await assign(t.db, ctx(v), { needId, sessionId: work.sessionId, personId: v.personId }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SignupConflict);
        const when = DateTime.fromJSDate(attend.startsAt, { zone: ZONE }).toFormat("yyyy-MM-dd HH:mm");
        expect((error as SignupConflict).params).toEqual({ title: "健康讲座", when: `${when}–11:00` });
      });

      it("refuses an overlapping shift, naming the one already held", async () => {
        const skill = await makeSkill(t.db, stationId);
        const v = await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] });
        const first = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 6, title: "太极拳" });
        const second = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 6, title: "亲子活动" });
        const n1 = await makeNeed(t.db, stationId, { sessionId: first.sessionId, skillId: skill });
        const n2 = await makeNeed(t.db, stationId, { sessionId: second.sessionId, skillId: skill, startOffsetMinutes: 30 });
        await assign(t.db, ctx(coordinator), { needId: n1, sessionId: first.sessionId, personId: v.personId });
        const error = await assign(t.db, ctx(coordinator), { needId: n2, sessionId: second.sessionId, personId: v.personId }).catch(
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ShiftConflict);
        expect((error as ShiftConflict).params.title).toBe("太极拳");
        // Declining the first frees the time.
        const [held] = await listMyShifts(t.db, stationId, v.personId);
        await respond(t.db, ctx(v), held!.assignmentId, "decline");
        expect(await assign(t.db, ctx(coordinator), { needId: n2, sessionId: second.sessionId, personId: v.personId })).toMatchObject({
          status: "proposed",
        });
      });

      it("refuses when every place is taken, and a need that belongs to another session", async () => {
        const skill = await makeSkill(t.db, stationId);
        const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 7 });
        const other = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 8 });
        const needId = await makeNeed(t.db, stationId, { sessionId, skillId: skill, headCount: 1 });
        const [a, b] = [
          await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] }),
          await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] }),
        ];
        await assign(t.db, ctx(a), { needId, sessionId, personId: a.personId });
        await expect(assign(t.db, ctx(b), { needId, sessionId, personId: b.personId })).rejects.toBeInstanceOf(NeedFull);
        await expect(assign(t.db, ctx(b), { needId, sessionId: other.sessionId, personId: b.personId })).rejects.toBeInstanceOf(NeedSessionMismatch);
      });

      it("refuses past the weekly maximum (the person's own, else the station's)", async () => {
        const skill = await makeSkill(t.db, stationId);
        const v = await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] });
        await t.db.update(people).set({ maxWeeklyShiftMinutes: 180 }).where(eq(people.id, v.personId));
        // Two sessions on the same local day, 09:00 and 13:00: both in one ISO week.
        const a = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 9 });
        const b = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 9 });
        await moveLater(t.db, b.sessionId, 4);
        const na = await makeNeed(t.db, stationId, { sessionId: a.sessionId, skillId: skill });
        const nb = await makeNeed(t.db, stationId, { sessionId: b.sessionId, skillId: skill });
        await assign(t.db, ctx(v), { needId: na, sessionId: a.sessionId, personId: v.personId }); // 120 min
        const error = await assign(t.db, ctx(v), { needId: nb, sessionId: b.sessionId, personId: v.personId }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WeeklyLimit);
        expect((error as WeeklyLimit).params).toEqual({ hours: 3 });
        await t.db.update(people).set({ maxWeeklyShiftMinutes: 240 }).where(eq(people.id, v.personId));
        expect(await assign(t.db, ctx(v), { needId: nb, sessionId: b.sessionId, personId: v.personId })).toMatchObject({ status: "confirmed" });
      });

      it("a blackout day refuses self-signup but only warns staff; availability only warns", async () => {
        const skill = await makeSkill(t.db, stationId);
        const v = await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] });
        const { sessionId, startsAt } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 10 });
        const needId = await makeNeed(t.db, stationId, { sessionId, skillId: skill, headCount: 4 });
        const local = DateTime.fromJSDate(startsAt, { zone: ZONE });
        const blackoutId = await makeBlackout(t.db, v.personId, local.toISODate()!);
        await expect(assign(t.db, ctx(v), { needId, sessionId, personId: v.personId })).rejects.toBeInstanceOf(BlackoutDay);
        expect(await openShiftsFor(t.db, stationId, v.personId, { from: new Date(), to: new Date(Date.now() + 30 * 24 * HOUR) })).not.toContainEqual(
          expect.objectContaining({ sessionId }),
        );
        expect(await assign(t.db, ctx(coordinator), { needId, sessionId, personId: v.personId })).toMatchObject({
          status: "proposed",
          warnings: ["blackout"],
        });
        expect(blackoutId).toBeGreaterThan(0);

        const w = await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] });
        await makeAvailability(t.db, w.personId, [{ weekday: local.weekday, startTime: "14:00", endTime: "18:00" }]);
        expect(await assign(t.db, ctx(coordinator), { needId, sessionId, personId: w.personId })).toMatchObject({
          warnings: ["outside_availability"],
        });
        const x = await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] });
        await makeAvailability(t.db, x.personId, [{ weekday: local.weekday, startTime: "08:00", endTime: "12:00" }]);
        expect(await assign(t.db, ctx(coordinator), { needId, sessionId, personId: x.personId })).toMatchObject({ warnings: [] });
        // Two touching windows (08–10, 10–12) cover the 09–11 shift together, as the suggestion reads them.
        const y = await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] });
        await makeAvailability(t.db, y.personId, [
          { weekday: local.weekday, startTime: "08:00", endTime: "10:00" },
          { weekday: local.weekday, startTime: "10:00", endTime: "12:00" },
        ]);
        expect(await assign(t.db, ctx(coordinator), { needId, sessionId, personId: y.personId })).toMatchObject({ warnings: [] });
      });

      it("refuses a cancelled or started session", async () => {
        const skill = await makeSkill(t.db, stationId);
        const v = await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] });
        const { sessionId, startsAt } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 11 });
        const needId = await makeNeed(t.db, stationId, { sessionId, skillId: skill });
        await expect(assign(t.db, ctx(v, new Date(startsAt.getTime() + 1)), { needId, sessionId, personId: v.personId })).rejects.toBeInstanceOf(
          ShiftClosed,
        );
        await t.db.update(sessions).set({ status: "cancelled" }).where(eq(sessions.id, sessionId));
        await expect(assign(t.db, ctx(v), { needId, sessionId, personId: v.personId })).rejects.toBeInstanceOf(ShiftClosed);
      });
    });

    describe("answers", () => {
      it("proposed → confirmed by the person; others cannot see it; attendance is staff-only and after the start", async () => {
        const skill = await makeSkill(t.db, stationId);
        const v = await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] });
        const stranger = await makeVolunteer(t.db, stationId);
        const { sessionId, startsAt } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 12 });
        const needId = await makeNeed(t.db, stationId, { sessionId, skillId: skill, startOffsetMinutes: 30 });
        const { id, status } = await assign(t.db, ctx(coordinator), { needId, sessionId, personId: v.personId });
        expect(status).toBe("proposed");
        // The person is told, and reminded a day before.
        const mails = await t.db.select({ kind: notifications.kind }).from(notifications).where(eq(notifications.assignmentId, id));
        expect(mails.map((m) => m.kind).sort()).toEqual(["shift_assigned", "shift_reminder"]);
        await expect(respond(t.db, ctx(stranger), id, "confirm")).rejects.toBeInstanceOf(NotFound);
        expect(await respond(t.db, ctx(v), id, "confirm")).toMatchObject({ status: "confirmed" });
        expect(await respond(t.db, ctx(v), id, "confirm")).toMatchObject({ status: "confirmed" }); // again: no change
        await expect(respond(t.db, ctx(v), id, "decline")).rejects.toBeInstanceOf(AssignmentState);
        await expect(respond(t.db, ctx(v, new Date(startsAt.getTime() + HOUR)), id, "attended")).rejects.toBeInstanceOf(NotAllowed);
        await expect(respond(t.db, ctx(coordinator), id, "attended")).rejects.toBeInstanceOf(AttendanceTooEarly);
        // The set-up half hour is part of the shift: attendance may be recorded from then.
        expect(await respond(t.db, ctx(coordinator, new Date(startsAt.getTime() - 20 * 60_000)), id, "no_show")).toMatchObject({
          attendance: "no_show",
        });
        expect(await respond(t.db, ctx(coordinator, new Date(startsAt.getTime() + HOUR)), id, "no_show_excused")).toMatchObject({
          attendance: "no_show_excused",
        });
        // A person cannot leave a shift once it started; staff still can.
        await expect(respond(t.db, ctx(v, new Date(startsAt.getTime() + HOUR)), id, "cancel")).rejects.toBeInstanceOf(ShiftClosed);
        const actions = await t.db
          .select({ action: auditLog.action })
          .from(auditLog)
          .where(and(eq(auditLog.targetType, "assignment"), eq(auditLog.targetId, id)));
        expect(actions.map((a) => a.action)).toEqual(["assignment.create", "assignment.confirm", "assignment.no_show", "assignment.no_show_excused"]);
      });

      it("the person cancels a confirmed self-signup; the place frees and pending mail is not sent", async () => {
        const skill = await makeSkill(t.db, stationId);
        const [a, b] = [
          await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] }),
          await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] }),
        ];
        const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 13 });
        const needId = await makeNeed(t.db, stationId, { sessionId, skillId: skill, headCount: 1 });
        const taken = await assign(t.db, ctx(a), { needId, sessionId, personId: a.personId });
        expect(taken.status).toBe("confirmed");
        await expect(assign(t.db, ctx(b), { needId, sessionId, personId: b.personId })).rejects.toBeInstanceOf(NeedFull);
        expect(await respond(t.db, ctx(a), taken.id, "cancel")).toMatchObject({ status: "cancelled" });
        expect(await respond(t.db, ctx(a), taken.id, "cancel")).toMatchObject({ status: "cancelled" });
        await expect(respond(t.db, ctx(a), taken.id, "confirm")).rejects.toBeInstanceOf(AssignmentState);
        const pending = await t.db
          .select()
          .from(notifications)
          .where(and(eq(notifications.assignmentId, taken.id), eq(notifications.status, "pending")));
        expect(pending).toEqual([]);
        expect(await assign(t.db, ctx(b), { needId, sessionId, personId: b.personId })).toMatchObject({ status: "confirmed" });
      });
    });

    describe("hours", () => {
      it("attended shifts credit their minutes; manual hours are kept apart; no-shows credit nothing", async () => {
        const skill = await makeSkill(t.db, stationId);
        const v = await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] });
        const s1 = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 14 });
        const s2 = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 15 });
        const n1 = await makeNeed(t.db, stationId, { sessionId: s1.sessionId, skillId: skill, startOffsetMinutes: 30 });
        const n2 = await makeNeed(t.db, stationId, { sessionId: s2.sessionId, skillId: skill });
        const a1 = await assign(t.db, ctx(v), { needId: n1, sessionId: s1.sessionId, personId: v.personId });
        const a2 = await assign(t.db, ctx(v), { needId: n2, sessionId: s2.sessionId, personId: v.personId });
        const later = new Date(s2.startsAt.getTime() + 3 * HOUR);
        await respond(t.db, ctx(coordinator, later), a1.id, "attended");
        await respond(t.db, ctx(coordinator, later), a2.id, "no_show");
        const local = DateTime.fromJSDate(s1.startsAt, { zone: ZONE });
        await expect(
          addManualHours(t.db, ctx(v), { personId: v.personId, workDate: local.toISODate()!, minutes: 60, note: "" }),
        ).rejects.toBeInstanceOf(NotAllowed);
        await addManualHours(t.db, ctx(coordinator), { personId: v.personId, workDate: local.toISODate()!, minutes: 45, note: "入户探访" });
        const months = await hoursFor(t.db, stationId, v.personId, { year: local.year });
        const month = months.find((m) => m.month === local.month)!;
        expect(month).toEqual({ month: local.month, attendedMinutes: 150, manualMinutes: 45 });
        expect(months.reduce((sum, m) => sum + m.attendedMinutes + m.manualMinutes, 0)).toBe(195);
        const exported = await hoursExport(t.db, stationId, {
          from: local.minus({ days: 1 }).toISODate()!,
          to: local.plus({ days: 5 }).toISODate()!,
        });
        expect(exported.people.find((p) => p.personId === v.personId)).toMatchObject({ attendedMinutes: 150, manualMinutes: 45, shifts: 1 });
        expect((await t.db.select().from(manualHours).where(eq(manualHours.personId, v.personId))).length).toBe(1);
        // Per service group: the sum of its members' hours.
        const [group] = await t.db
          .insert(serviceGroups)
          .values({ stationId, nameZh: "健康服务组", nameEn: "Health" })
          .returning({ id: serviceGroups.id });
        await t.db.insert(serviceGroupMembers).values({ groupId: group!.id, personId: v.personId });
        const withGroup = await hoursExport(t.db, stationId, {
          from: local.minus({ days: 1 }).toISODate()!,
          to: local.plus({ days: 5 }).toISODate()!,
        });
        expect(withGroup.groups.find((g) => g.groupId === group!.id)).toMatchObject({ people: 1, attendedMinutes: 150, manualMinutes: 45 });
        await expect(hoursExport(t.db, stationId, { from: "2026-12-10", to: "2026-12-01" })).rejects.toBeInstanceOf(InvalidRosterInput);
        // Staff cancel the attended shift afterwards: its hours go, in both views.
        expect(await respond(t.db, ctx(coordinator, later), a1.id, "cancel")).toMatchObject({ status: "cancelled", attendance: "attended" });
        expect((await hoursFor(t.db, stationId, v.personId, { year: local.year })).find((m) => m.month === local.month)).toEqual({
          month: local.month,
          attendedMinutes: 0,
          manualMinutes: 45,
        });
        const afterCancel = await hoursExport(t.db, stationId, {
          from: local.minus({ days: 1 }).toISODate()!,
          to: local.plus({ days: 5 }).toISODate()!,
        });
        expect(afterCancel.people.find((p) => p.personId === v.personId)).toMatchObject({ attendedMinutes: 0, manualMinutes: 45, shifts: 0 });
      });
    });

    describe("skills and needs input", () => {
      it("only staff keep the skill list; bad slugs, duplicates and out-of-range needs are refused with nothing written", async () => {
        const volunteer = await makeVolunteer(t.db, stationId);
        const input = { slug: "massage", nameZh: "按摩", nameEn: "Massage", restricted: false };
        await expect(createSkill(t.db, ctx(volunteer), input)).rejects.toBeInstanceOf(NotAllowed);
        await expect(createSkill(t.db, ctx(coordinator), { ...input, slug: "Bad Slug" })).rejects.toBeInstanceOf(InvalidRosterInput);
        const { id } = await createSkill(t.db, ctx(coordinator), input);
        await expect(createSkill(t.db, ctx(coordinator), input)).rejects.toBeInstanceOf(SkillSlugTaken);
        await updateSkill(t.db, ctx(coordinator), id, { nameEn: "Massage (chair)" });
        expect((await listSkills(t.db, stationId)).filter((s) => s.slug === "massage")).toEqual([
          expect.objectContaining({ id, nameEn: "Massage (chair)" }),
        ]);
        const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 30 });
        for (const bad of [{ headCount: 0 }, { headCount: 51 }, { headCount: 2, startOffsetMinutes: 241 }, { headCount: 1.5 }]) {
          await expect(addNeed(t.db, ctx(coordinator), { sessionId, skillId: id, ...bad })).rejects.toBeInstanceOf(InvalidRosterInput);
        }
        await expect(addNeed(t.db, ctx(coordinator), { skillId: id, headCount: 1 })).rejects.toBeInstanceOf(InvalidRosterInput);
        expect((await sessionShifts(t.db, stationId, [sessionId])).get(sessionId)).toEqual([]);
      });
    });

    describe("needs", () => {
      it("a series need appears on every session; a session need only on its own", async () => {
        const skill = await makeSkill(t.db, stationId);
        const extra = await makeSkill(t.db, stationId);
        const { activityId, sessionIds } = await makeSeries(t.db, stationId, { count: 3, daysAhead: 16 });
        expect(sessionIds).toHaveLength(3);
        const series = await addNeed(t.db, ctx(coordinator), { activityId, skillId: skill, headCount: 2, startOffsetMinutes: 30 });
        const own = await addNeed(t.db, ctx(coordinator), { sessionId: sessionIds[1]!, skillId: extra, headCount: 1 });
        await expect(addNeed(t.db, ctx(await makeVolunteer(t.db, stationId)), { activityId, skillId: skill, headCount: 1 })).rejects.toBeInstanceOf(
          NotAllowed,
        );
        const shifts = await sessionShifts(t.db, stationId, sessionIds);
        expect(sessionIds.map((id) => shifts.get(id)!.map((s) => [s.needId, s.inherited]))).toEqual([
          [[series.id, true]],
          [
            [series.id, true],
            [own.id, false],
          ],
          [[series.id, true]],
        ]);
        const [first] = await t.db.select().from(sessions).where(eq(sessions.id, sessionIds[0]!));
        expect(shifts.get(sessionIds[0]!)![0]!.startsAt).toEqual(new Date(first!.startsAt.getTime() - 30 * 60_000));
        const from = new Date(first!.startsAt.getTime() - HOUR);
        const { result: week, statements } = await countingStatements(t.db, () =>
          weekShifts(t.db, stationId, from, new Date(from.getTime() + 7 * 24 * HOUR)),
        );
        expect(week.sessions.map((s) => s.id)).toContain(sessionIds[0]);
        expect(week.shifts.get(sessionIds[0]!)).toHaveLength(1);
        // The week's sessions, their needs, their assignments: the sessions are not read twice.
        expect(statements).toBe(3);
        expect(week.shifts).toEqual(
          await sessionShifts(
            t.db,
            stationId,
            week.sessions.map((s) => s.id),
          ),
        );
        // A series need: one volunteer per session; the need is then in use.
        const v = await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] });
        await assign(t.db, ctx(v), { needId: series.id, sessionId: sessionIds[2]!, personId: v.personId });
        expect((await getSessionRoster(t.db, stationId, sessionIds[2]!)).shifts[0]).toMatchObject({ filled: 1, headCount: 2 });
        expect((await getSessionRoster(t.db, stationId, sessionIds[0]!)).shifts[0]).toMatchObject({ filled: 0 });
        await expect(removeNeed(t.db, ctx(coordinator), series.id)).rejects.toBeInstanceOf(NeedInUse);
        await removeNeed(t.db, ctx(coordinator), own.id);
        expect((await sessionShifts(t.db, stationId, [sessionIds[1]!])).get(sessionIds[1]!)).toHaveLength(1);
        // New offsets re-time the need's assignments.
        await updateNeed(t.db, ctx(coordinator), series.id, { startOffsetMinutes: 60 });
        const [mine] = await listMyShifts(t.db, stationId, v.personId);
        const [third] = await t.db.select().from(sessions).where(eq(sessions.id, sessionIds[2]!));
        expect(mine!.startsAt).toEqual(new Date(third!.startsAt.getTime() - HOUR));
      });

      it("open shifts: the person's skills, free places, not clashing with their own", async () => {
        const skill = await makeSkill(t.db, stationId);
        const other = await makeSkill(t.db, stationId);
        const v = await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] });
        const s1 = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 20 });
        const s2 = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 20 });
        const s3 = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 21 });
        const n1 = await makeNeed(t.db, stationId, { sessionId: s1.sessionId, skillId: skill });
        await makeNeed(t.db, stationId, { sessionId: s2.sessionId, skillId: skill });
        const n3 = await makeNeed(t.db, stationId, { sessionId: s3.sessionId, skillId: skill });
        await makeNeed(t.db, stationId, { sessionId: s3.sessionId, skillId: other });
        const window = { from: new Date(s1.startsAt.getTime() - HOUR), to: new Date(s3.startsAt.getTime() + HOUR) };
        expect((await openShiftsFor(t.db, stationId, v.personId, window)).map((s) => s.sessionId).sort()).toEqual(
          [s1.sessionId, s2.sessionId, s3.sessionId].sort(),
        );
        await assign(t.db, ctx(v), { needId: n1, sessionId: s1.sessionId, personId: v.personId });
        // s1 taken by them, s2 clashes with it: only s3's matching need is left.
        expect((await openShiftsFor(t.db, stationId, v.personId, window)).map((s) => s.needId)).toEqual([n3]);
      });
    });

    describe("session moved or cancelled", () => {
      it("retimeSessionAssignments moves active shifts with the session, and cancels one that would collide", async () => {
        const skill = await makeSkill(t.db, stationId);
        const [a, b] = [
          await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] }),
          await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] }),
        ];
        const moving = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 25 });
        const elsewhere = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 25 });
        await moveLater(t.db, elsewhere.sessionId, 5);
        const need = await makeNeed(t.db, stationId, { sessionId: moving.sessionId, skillId: skill, headCount: 2, startOffsetMinutes: 30 });
        const needElsewhere = await makeNeed(t.db, stationId, { sessionId: elsewhere.sessionId, skillId: skill });
        const aShift = await assign(t.db, ctx(a), { needId: need, sessionId: moving.sessionId, personId: a.personId });
        const bShift = await assign(t.db, ctx(b), { needId: need, sessionId: moving.sessionId, personId: b.personId });
        await assign(t.db, ctx(b), { needId: needElsewhere, sessionId: elsewhere.sessionId, personId: b.personId });
        // Move the session 5 hours later, onto b's other shift.
        const result = await t.db.transaction(async (tx) => {
          await moveLater(tx, moving.sessionId, 5);
          return retimeSessionAssignments(tx, moving.sessionId);
        });
        expect(result).toEqual({ retimed: [aShift.id], cancelled: [bShift.id] });
        const [mine] = await listMyShifts(t.db, stationId, a.personId);
        expect(mine!.startsAt).toEqual(new Date(moving.startsAt.getTime() + 5 * HOUR - 30 * 60_000));
        expect((await statusOf(bShift.id)).s).toBe("cancelled");
        const changed = await t.db.select({ kind: notifications.kind }).from(notifications).where(eq(notifications.assignmentId, aShift.id));
        expect(changed.map((m) => m.kind)).toContain("shift_changed");
        // Nothing more to do the second time.
        expect(await t.db.transaction((tx) => retimeSessionAssignments(tx, moving.sessionId))).toEqual({ retimed: [], cancelled: [] });
        // Cancelled session: its shifts go too.
        expect(await t.db.transaction((tx) => cancelSessionAssignments(tx, moving.sessionId))).toEqual([aShift.id]);
      });
    });
  });
}
