// Erasure (ADR 23) against an independent scan: a canary person goes through every feature the
// fixtures reach, is erased, and then no table, rendered mail or log line holds a canary string,
// while the monthly figures and the hours totals are exactly what they were.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";

await vi.hoisted(async () => (await import("../support/canary-fixtures")).ownOutbox("hearth-erasure-"));

import { backends, useBackend } from "../support/db";
import { scanOutbox, scanTables } from "../support/canary-scan";
import { canaryBookings, canaryHouseholds, captureConsole, moveSession, pastWork } from "../support/canary-fixtures";
import { ensureStation, TEST_PASSWORD } from "../support/fixtures";
import { ZONE, makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { makeNeed } from "../support/roster-fixtures";
import { signUp } from "../../models/signups";
import { assign } from "../../models/rosters/assignments";
import { hoursExport } from "../../models/rosters/hours";
import { monthlyReport } from "../../models/reports/monthly";
import { giveWeeklyHours, makeProvider, makeService } from "../support/consultation-fixtures";
import { slotsOf } from "../../models/consultations/slots";
import { bookConsultation } from "../../models/consultations/bookings";
import { regenerateFeedToken } from "../../models/feed-tokens";
import { createApiToken } from "../../models/api-tokens";
import { authenticate } from "../../models/auth";
import { hit } from "../../models/rate-limits";
import { getConfig } from "../../models/config";
import { outboxTransport } from "../../models/notifications/transport";
import { mailSettings } from "../../models/notifications/render";
import { runOnce } from "../../models/notifications/worker";
import { erasePerson, eraseOwn } from "../../models/privacy/erasure";
import { refusal } from "../support/refusal";
import {
  accounts,
  auditLog,
  households,
  notifications,
  people,
  providerHours,
  sessions,
  signInCodes,
  signups,
  visits,
  stationRoles,
} from "../../models/db/schema";
import type { Actor } from "../../models/permissions";

const CANARY = {
  name: "金丝雀CANARYNAME",
  phone: "13900007777",
  email: "canary-7q@example.test",
  needs: "CANARYNEEDS轮椅",
  topic: "CANARYTOPIC离婚",
  address: "CANARYADDR幸福路",
  home: "CANARYHOME",
  landline: "0598-7654321",
  token: "CANARYTOKEN",
  note: "CANARYNOTE",
  reason: "CANARYREASON",
  specialty: "CANARYSPEC",
};
const NEEDLES = Object.values(CANARY);

const sumHours = (h: Awaited<ReturnType<typeof hoursExport>>) => ({
  attended: h.people.reduce((s, p) => s + p.attendedMinutes, 0),
  manual: h.people.reduce((s, p) => s + p.manualMinutes, 0),
  shifts: h.people.reduce((s, p) => s + p.shifts, 0),
  people: h.people.length,
  groups: h.groups,
});

for (const backend of backends) {
  describe(`erasure on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll }, { poolSize: 6 });
    let stationId = 0;
    let coordinator: Actor;
    let canary: Actor & { email: string };
    let queued: number; // waiting behind the canary
    let s1 = 0;
    let lawyer: Actor;
    let caredHousehold = 0;
    let ownHousehold = 0;
    const lastMonth = DateTime.now().setZone(ZONE).minus({ months: 1 }).startOf("month").plus({ days: 9 });
    const month = lastMonth.toFormat("yyyy-MM");
    const logs: string[] = [];
    const transport = () => outboxTransport(getConfig());

    /** A session of last month that the canary attended (or missed, excused), set as check-in would. */
    async function pastSession(attendance: "attended" | "no_show_excused" | null, dayOffset: number) {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 5, daysAhead: 5, title: "太极拳" });
      let signupId: number | undefined;
      if (attendance) signupId = (await signUp(t.db, { stationId, actor: canary }, { sessionId, personId: canary.personId, partySize: 1 })).id;
      const start = await moveSession(t.db, sessionId, lastMonth.plus({ days: dayOffset }).set({ hour: 9 }));
      if (signupId && attendance)
        await t.db
          .update(signups)
          .set(
            attendance === "attended"
              ? { attendance, attendedCount: 1, attendanceAt: start.toJSDate() }
              : { attendance, attendanceReason: CANARY.reason, attendanceAt: start.toJSDate() },
          )
          .where(eq(signups.id, signupId));
      return { sessionId, start };
    }

    beforeAll(async () => {
      captureConsole(logs);
      stationId = (await ensureStation(t.db)).id;
      await makeActor(t.db, stationId, ["admin"], "管理员");
      coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员");
      canary = await makeActor(t.db, stationId, ["resident", "volunteer"], CANARY.name);
      await t.db.update(accounts).set({ email: CANARY.email, phone: CANARY.phone }).where(eq(accounts.id, canary.accountId));
      canary.email = CANARY.email;
      await t.db
        .update(people)
        .set({ phone: CANARY.phone, email: CANARY.email, needs: CANARY.needs, birthYear: 1950 })
        .where(eq(people.id, canary.personId));
      const [neighbour] = (await makePeople(t.db, stationId, 1, "王奶奶")) as [number];
      ({ own: ownHousehold, cared: caredHousehold } = await canaryHouseholds(t.db, stationId, canary.personId, CANARY, neighbour));

      // Bookings: a confirmed place with someone waiting behind it, and a waitlisted one.
      [queued] = (await makePeople(t.db, stationId, 1, "候补")) as [number];
      const [first] = (await makePeople(t.db, stationId, 1, "先到")) as [number];
      ({
        s1: { sessionId: s1 },
      } = await canaryBookings(t.db, { stationId, canary, coordinator }, { queued, first }));

      // Last month: attended, an excused no-show with a reason, a drop-in visit, a worked shift, hand-entered hours.
      await pastSession("attended", 0);
      await pastSession("no_show_excused", 2);
      const worked = await pastSession(null, 4);
      const { skillId, serviceLineId } = await pastWork(t.db, stationId, canary.personId, worked, {
        note: CANARY.note,
        workDate: lastMonth.toISODate()!,
        specialty: CANARY.specialty,
      });
      await t.db.insert(visits).values({ stationId, serviceLineId, localDay: lastMonth.toISODate()!, personId: canary.personId });

      // An upcoming shift she took herself.
      const { sessionId: s3 } = await makeSession(t.db, stationId, { capacity: 5, daysAhead: 6 });
      const need = await makeNeed(t.db, stationId, { sessionId: s3, skillId });
      await assign(t.db, { stationId, actor: canary }, { needId: need, sessionId: s3, personId: canary.personId });

      // A consultation with a topic.
      const made = await makeProvider(t.db, stationId, "李律师", { restricted: true, nameZh: "律师", confirmed: true });
      lawyer = made.provider;
      const admin2 = await makeActor(t.db, stationId, ["admin"], "管理员二");
      const service = await makeService(t.db, stationId, admin2, made.skillId, { slotMinutes: 45, cancelDeadlineMinutes: 120, maxUpcoming: 1 });
      const day = DateTime.now().setZone(ZONE).plus({ days: 8 });
      await giveWeeklyHours(t.db, stationId, lawyer, { service, provider: lawyer, day, from: "14:00", to: "17:00", location: "法律服务室" });
      const [slot] = await slotsOf(t.db, service, { fromDate: day.toISODate()!, toDate: day.toISODate()!, now: new Date() });
      await bookConsultation(
        t.db,
        { stationId, actor: canary },
        { serviceId: service.id, startsAt: slot!.startsAt, personId: canary.personId, topic: CANARY.topic },
      );

      // Tokens, a one-time code, sign-in counters, an old audit row with her name in it.
      await regenerateFeedToken(t.db, { stationId, accountId: canary.accountId });
      await createApiToken(t.db, { stationId, accountId: canary.accountId }, CANARY.token);
      await t.db
        .insert(signInCodes)
        .values({ stationId, accountId: canary.accountId, codeHash: "ab".repeat(32), expiresAt: new Date(Date.now() + 3_600_000) });
      await authenticate(t.db, { phone: CANARY.phone, password: "wrong password", ip: "10.0.0.7" }).catch(() => undefined);
      await hit(t.db, "registerTarget", `phone:${CANARY.phone}`);
      await hit(t.db, "registerTarget", `email:${CANARY.email}`);
      await t.db.insert(auditLog).values({
        stationId,
        actorAccountId: coordinator.accountId,
        action: "person.update",
        targetType: "person",
        targetId: canary.personId,
        details: { fullName: CANARY.name, phone: CANARY.phone },
      });

      // The mail so far, rendered into the outbox (confirmations name her).
      await runOnce(t.db, { transport: transport(), settings: mailSettings(getConfig()), batchSize: 500 });
    });

    afterAll(() => {
      vi.restoreAllMocks();
    });

    it("the canary is everywhere before the erasure (the control)", async () => {
      const found = await scanTables(t.db, NEEDLES);
      for (const table of [
        "people",
        "accounts",
        "households",
        "consultations",
        "api_tokens",
        "manual_hours",
        "signups",
        "notifications",
        "rate_limits",
        "audit_log",
        "person_skills",
      ]) {
        expect(found[table], table).toBeDefined();
      }
      expect(scanOutbox([CANARY.name]).length).toBeGreaterThan(0);
    });

    it("erases the canary in one go: nothing of her remains, the figures are the same to the minute", async () => {
      const reportBefore = await monthlyReport(t.db, stationId, month);
      const hoursBefore = sumHours(
        await hoursExport(t.db, stationId, { from: lastMonth.startOf("month").toISODate()!, to: lastMonth.endOf("month").toISODate()! }),
      );
      expect(reportBefore.residentsServed).toBeGreaterThan(0);
      expect(hoursBefore.attended + hoursBefore.manual).toBeGreaterThan(0);

      const result = await erasePerson(t.db, { stationId, actor: coordinator }, canary.personId, { via: "in_person", note: "申请表 12 号" });
      expect(result.removed).toMatchObject({
        personalDetails: 1,
        needs: 1,
        bookingsCancelled: 1,
        waitlistsLeft: 1,
        shiftsCancelled: 1,
        consultationsCancelled: 1,
        consultationTopics: 1,
        householdsUnassigned: 1,
        householdAddresses: 1,
        tokens: 2,
        signInCodes: 1,
        accountsClosed: 1,
      });
      expect(result.removed.mails).toBeGreaterThan(0);
      expect(result.kept).toMatchObject({ attendances: 2, visits: 1, shiftsWorked: 1, manualHours: 1 });
      expect(result.promoted).toBe(1);

      // The place went to the one waiting, who is told; the lawyer is told of the cancellation.
      const [session] = await t.db
        .select({ taken: sessions.taken, waitlisted: sessions.waitlistedParties })
        .from(sessions)
        .where(eq(sessions.id, s1));
      expect(session).toEqual({ taken: 1, waitlisted: 0 });
      const [promoted] = await t.db
        .select({ status: signups.status })
        .from(signups)
        .where(and(eq(signups.sessionId, s1), eq(signups.personId, queued)));
      expect(promoted!.status).toBe("confirmed");
      const told = await t.db
        .select({ kind: notifications.kind, status: notifications.status })
        .from(notifications)
        .where(eq(notifications.personId, lawyer.personId));
      expect(told).toContainEqual({ kind: "consultation_cancelled", status: "pending" });
      // The household she looked after has no caretaker and no consent in force.
      const [cared] = await t.db.select({ caretakerId: households.caretakerId }).from(households).where(eq(households.id, caredHousehold));
      expect(cared!.caretakerId).toBeNull();
      const roles = await t.db.select({ role: stationRoles.role }).from(stationRoles).where(eq(stationRoles.accountId, canary.accountId));
      expect(roles).toEqual([]);

      // Mail still to send (the lawyer's, the promoted person's) goes out now; it names nobody erased.
      await runOnce(t.db, { transport: transport(), settings: mailSettings(getConfig()), batchSize: 500 });

      expect(await scanTables(t.db, NEEDLES)).toEqual({});
      expect(scanOutbox(NEEDLES)).toEqual([]);
      expect(logs.filter((line) => NEEDLES.some((needle) => line.includes(needle)))).toEqual([]);

      expect(await monthlyReport(t.db, stationId, month)).toEqual(reportBefore);
      expect(
        sumHours(await hoursExport(t.db, stationId, { from: lastMonth.startOf("month").toISODate()!, to: lastMonth.endOf("month").toISODate()! })),
      ).toEqual(hoursBefore);

      // The audit log says that it happened, by whom and when.
      const [entry] = await t.db
        .select({ actor: auditLog.actorAccountId, details: auditLog.details })
        .from(auditLog)
        .where(and(eq(auditLog.action, "person.erase"), eq(auditLog.targetId, canary.personId)));
      expect(entry!.actor).toBe(coordinator.accountId);
      expect(entry!.details).toMatchObject({ via: "in_person", request: "申请表 12 号" });
      const [own] = await t.db.select({ address: households.address }).from(households).where(eq(households.id, ownHousehold));
      expect(own!.address).toBeNull();
    });

    it("a second erasure is not found, and the erased person cannot be booked or found any more", async () => {
      expect((await refusal(erasePerson(t.db, { stationId, actor: coordinator }, canary.personId, { via: "phone" }))).status).toBe(404);
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 5, daysAhead: 9 });
      expect((await refusal(signUp(t.db, { stationId, actor: coordinator }, { sessionId, personId: canary.personId, partySize: 1 }))).status).toBe(
        404,
      );
      const [row] = await t.db
        .select({ closedAt: accounts.closedAt, passwordHash: accounts.passwordHash })
        .from(accounts)
        .where(eq(accounts.id, canary.accountId));
      expect(row!.closedAt).not.toBeNull();
      expect(row!.passwordHash).toBeNull();
    });

    it("refuses the last admin (409) and changes nothing; with a second admin it goes", async () => {
      const lone = await ensureStation(t.db, "lone");
      const admin = await makeActor(t.db, lone.id, ["admin"], "唯一管理员");
      const { sessionId } = await makeSession(t.db, lone.id, { capacity: 2, daysAhead: 3 });
      await signUp(t.db, { stationId: lone.id, actor: admin }, { sessionId, personId: admin.personId, partySize: 1 });
      const error = await refusal(erasePerson(t.db, { stationId: lone.id, actor: admin }, admin.personId, { via: "self" }));
      expect([error.status, error.code]).toEqual([409, "last_admin"]);
      const [person] = await t.db.select({ name: people.fullName, erasedAt: people.erasedAt }).from(people).where(eq(people.id, admin.personId));
      expect(person).toEqual({ name: "唯一管理员", erasedAt: null });
      const [session] = await t.db.select({ taken: sessions.taken }).from(sessions).where(eq(sessions.id, sessionId));
      expect(session!.taken).toBe(1);

      await makeActor(t.db, lone.id, ["admin"], "第二位管理员");
      const result = await erasePerson(t.db, { stationId: lone.id, actor: admin }, admin.personId, { via: "self" });
      expect(result.removed.bookingsCancelled).toBe(1);
    });

    it("a provider's future hours end and the people booked with them are told", async () => {
      const { provider, skillId: lawSkill } = await makeProvider(t.db, stationId, "赵律师", { restricted: true, nameZh: "律师二", confirmed: true });
      const admin = await makeActor(t.db, stationId, ["admin"], "管理员三");
      const service = await makeService(t.db, stationId, admin, lawSkill, {
        kind: "counselling",
        nameZh: "心理咨询",
        nameEn: "Counselling",
        maxUpcoming: 1,
      });
      const day = DateTime.now().setZone(ZONE).plus({ days: 5 });
      await giveWeeklyHours(t.db, stationId, provider, { service, provider, day, from: "09:00", to: "11:00", location: "咨询室" });
      const client = await makeActor(t.db, stationId, ["resident"], "来访者");
      const [slot] = await slotsOf(t.db, service, { fromDate: day.toISODate()!, toDate: day.toISODate()!, now: new Date() });
      const booked = await bookConsultation(
        t.db,
        { stationId, actor: client },
        { serviceId: service.id, startsAt: slot!.startsAt, personId: client.personId, topic: "睡不好" },
      );

      const result = await erasePerson(t.db, { stationId, actor: coordinator }, provider.personId, { via: "paper" });
      expect(result.removed.consultationsCancelled).toBe(1);
      expect(result.removed.providerHoursEnded).toBe(1);
      // Hours that began today or later are gone; older ones would end yesterday.
      const today = DateTime.now().setZone(ZONE).toISODate()!;
      const hours = await t.db
        .select({ until: providerHours.untilDate })
        .from(providerHours)
        .where(eq(providerHours.providerPersonId, provider.personId));
      expect(hours.filter((h) => h.until === null || h.until >= today)).toEqual([]);
      expect(await slotsOf(t.db, service, { fromDate: day.toISODate()!, toDate: day.toISODate()!, now: new Date() })).toEqual([]);
      const told = await t.db
        .select({ kind: notifications.kind, payload: notifications.payload })
        .from(notifications)
        .where(
          and(
            eq(notifications.personId, client.personId),
            eq(notifications.consultationId, booked.id),
            eq(notifications.kind, "consultation_cancelled"),
          ),
        );
      expect(told).toEqual([{ kind: "consultation_cancelled", payload: { role: "client" } }]);
      // The client's own topic is theirs: it stays.
      const [kept] = await t.db.execute<{ topic: string }>(sql`SELECT topic FROM consultations WHERE id = ${booked.id}`).then((r) => r.rows);
      expect(kept!.topic).toBe("睡不好");
    });

    it("a person erases themself with their password; a wrong one or none changes nothing", async () => {
      const me = await makeActor(t.db, stationId, ["resident"], "自己删除");
      expect((await refusal(eraseOwn(t.db, { stationId, actor: me, password: "not my password", ip: "10.0.0.9" }))).code).toBe(
        "erasure_wrong_password",
      );
      const [still] = await t.db.select({ name: people.fullName }).from(people).where(eq(people.id, me.personId));
      expect(still!.name).toBe("自己删除");

      const deskMade = await makeActor(t.db, stationId, ["resident"], "服务台开户");
      await t.db.update(accounts).set({ passwordHash: null }).where(eq(accounts.id, deskMade.accountId));
      expect((await refusal(eraseOwn(t.db, { stationId, actor: deskMade, password: "", ip: "10.0.0.9" }))).code).toBe("erasure_no_password");

      const result = await eraseOwn(t.db, { stationId, actor: me, password: TEST_PASSWORD, ip: "10.0.0.9" });
      expect(result.removed.accountsClosed).toBe(1);
      const [audit] = await t.db
        .select({ actor: auditLog.actorAccountId, details: auditLog.details })
        .from(auditLog)
        .where(and(eq(auditLog.action, "person.erase"), eq(auditLog.targetId, me.personId)));
      expect(audit).toMatchObject({ actor: me.accountId, details: { via: "self" } });
      // Nobody else may erase a person through the self path's model either: a resident asking for another is "not found".
      const stranger = await makeActor(t.db, stationId, ["resident"], "路人");
      expect((await refusal(erasePerson(t.db, { stationId, actor: stranger }, coordinator.personId, { via: "self" }))).status).toBe(404);
    });

    it("the audit log stays append-only: a redaction may take keys out of details, nothing else", async () => {
      const [row] = await t.db
        .insert(auditLog)
        .values({ stationId, actorAccountId: null, action: "test.redact", targetType: "person", targetId: 1, details: { a: 1, b: "x" } })
        .returning({ id: auditLog.id });
      const id = row!.id;
      await expect(
        t.db
          .update(auditLog)
          .set({ details: { a: 1, b: "x", c: 2 } })
          .where(eq(auditLog.id, id)),
      ).rejects.toThrow();
      await expect(
        t.db
          .update(auditLog)
          .set({ action: "tampered", details: { a: 1 } })
          .where(eq(auditLog.id, id)),
      ).rejects.toThrow();
      await expect(
        t.db
          .update(auditLog)
          .set({ details: { a: 2 } })
          .where(eq(auditLog.id, id)),
      ).rejects.toThrow();
      await expect(t.db.delete(auditLog).where(eq(auditLog.id, id))).rejects.toThrow();
      await t.db
        .update(auditLog)
        .set({ details: { a: 1 } })
        .where(eq(auditLog.id, id));
      const [after] = await t.db.select({ details: auditLog.details }).from(auditLog).where(eq(auditLog.id, id));
      expect(after!.details).toEqual({ a: 1 });
    });

    it("refuses a request it cannot record (unknown way, a note too long) before touching anything", async () => {
      const [walkIn] = await makePeople(t.db, stationId, 1, "散客");
      expect((await refusal(erasePerson(t.db, { stationId, actor: coordinator }, walkIn!, { via: "email" as never }))).params).toEqual({
        field: "via",
      });
      expect((await refusal(erasePerson(t.db, { stationId, actor: coordinator }, walkIn!, { via: "phone", note: "x".repeat(201) }))).params).toEqual({
        field: "note",
      });
      const [person] = await t.db.select({ erasedAt: people.erasedAt }).from(people).where(eq(people.id, walkIn!));
      expect(person!.erasedAt).toBeNull();
    });
  });
}
