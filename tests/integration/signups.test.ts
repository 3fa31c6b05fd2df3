import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { giveConsent } from "../support/care-fixtures";
import { ensureStation } from "../support/fixtures";
import { makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { cancelSignup, getActiveSignup, listSessionSignups, signUp } from "../../models/signups";
import { updateSession, getSession } from "../../models/sessions";
import { auditLog, households, sessions, signups } from "../../models/db/schema";
import {
  AlreadySignedUp,
  CancelTooLate,
  InvalidPartySize,
  CapacityBelowConfirmed,
  NotAllowed,
  NotFound,
  PartyTooLarge,
  SignupClosed,
} from "../../models/errors";
import type { Actor } from "../../models/permissions";

for (const backend of backends) {
  describe(`signups on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let coordinator: Actor;
    const taken = async (sessionId: number) =>
      (await t.db.select({ taken: sessions.taken }).from(sessions).where(eq(sessions.id, sessionId)))[0]!.taken;
    const statusOf = async (id: number) => (await t.db.select({ status: signups.status }).from(signups).where(eq(signups.id, id)))[0]!.status;
    const book = (sessionId: number, personId: number, partySize = 1, actor = coordinator, now?: Date) =>
      signUp(t.db, { stationId, actor, now }, { sessionId, personId, partySize });

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"]);
    });

    it("counts people, not signups, and waitlists in arrival order when full", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 5 });
      const [a, b, c, d] = await makePeople(t.db, stationId, 4);
      expect(await book(sessionId, a!, 2)).toMatchObject({ status: "confirmed", partySize: 2 });
      expect(await book(sessionId, b!, 3)).toMatchObject({ status: "confirmed" });
      expect(await taken(sessionId)).toBe(5);
      expect(await book(sessionId, c!, 1)).toMatchObject({ status: "waitlisted", waitlistPosition: 1 });
      expect(await book(sessionId, d!, 2)).toMatchObject({ status: "waitlisted", waitlistPosition: 2 });
      expect(await taken(sessionId)).toBe(5);
    });

    it("promotes first-fit on cancel: a big party keeps its place while a smaller one behind moves up", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 4 });
      const [a, b, big, small, later] = await makePeople(t.db, stationId, 5);
      const first = await book(sessionId, a!, 2);
      await book(sessionId, b!, 2);
      const bigOne = await book(sessionId, big!, 3);
      const smallOne = await book(sessionId, small!, 2);
      const laterOne = await book(sessionId, later!, 1);
      const result = await cancelSignup(t.db, { stationId, actor: coordinator }, first.id);
      // Two places free: the party of 3 does not fit and keeps position 1; the party of 2 moves up.
      expect(result).toEqual({ id: first.id, status: "cancelled", promoted: [smallOne.id] });
      expect(await statusOf(bigOne.id)).toBe("waitlisted");
      expect(await statusOf(laterOne.id)).toBe("waitlisted");
      expect(await taken(sessionId)).toBe(4);
      const list = await listSessionSignups(t.db, stationId, sessionId);
      expect(list.filter((s) => s.status === "waitlisted").map((s) => [s.id, s.waitlistPosition])).toEqual([
        [bigOne.id, 1],
        [laterOne.id, 2],
      ]);
      const [counters] = await t.db.select({ waitlisted: sessions.waitlistedParties }).from(sessions).where(eq(sessions.id, sessionId));
      expect(counters!.waitlisted).toBe(2);
      // The next to join is told position 3, counted under the lock.
      expect(await book(sessionId, (await makePeople(t.db, stationId, 1))[0]!, 1)).toMatchObject({ status: "waitlisted", waitlistPosition: 3 });
    });

    it("raising capacity promotes; lowering it below the confirmed people is refused", async () => {
      const { sessionId, startsAt } = await makeSession(t.db, stationId, { capacity: 2 });
      const [a, b, c] = await makePeople(t.db, stationId, 3);
      await book(sessionId, a!, 2);
      const waiting = await book(sessionId, b!, 1);
      await book(sessionId, c!, 2);
      const ctx = { stationId, actorAccountId: coordinator.accountId };
      const end = new Date(startsAt.getTime() + 7200_000);
      await expect(
        updateSession(t.db, ctx, sessionId, { startsAt, endsAt: end, capacity: 1, location: null, status: "scheduled" }),
      ).rejects.toBeInstanceOf(CapacityBelowConfirmed);
      expect((await getSession(t.db, stationId, sessionId))!.capacity).toBe(2);
      const { promoted } = await updateSession(t.db, ctx, sessionId, { startsAt, endsAt: end, capacity: 3, location: null, status: "scheduled" });
      expect(promoted).toEqual([waiting.id]);
      expect(await taken(sessionId)).toBe(3);
    });

    it("keeps one active signup per person: a double click or a retry leaves one", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 10 });
      const [p] = await makePeople(t.db, stationId, 1);
      const results = await Promise.allSettled([book(sessionId, p!), book(sessionId, p!), book(sessionId, p!)]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(AlreadySignedUp);
      const rows = await t.db
        .select()
        .from(signups)
        .where(and(eq(signups.sessionId, sessionId), eq(signups.personId, p!)));
      expect(rows).toHaveLength(1);
      expect(await taken(sessionId)).toBe(1);
      // After cancelling, signing up again is a new signup.
      await cancelSignup(t.db, { stationId, actor: coordinator }, rows[0]!.id);
      expect(await book(sessionId, p!)).toMatchObject({ status: "confirmed" });
    });

    it("holds the signup window, the party limit and the cancellation deadline", async () => {
      const { sessionId, startsAt } = await makeSession(t.db, stationId, {
        capacity: 10,
        maxPartySize: 2,
        opensDays: 2,
        daysAhead: 3,
        closesMinutes: 60,
        cancelDeadlineMinutes: 120,
      });
      const resident = await makeActor(t.db, stationId, ["resident"]);
      await expect(book(sessionId, resident.personId, 1, resident)).rejects.toMatchObject({ code: "signup_not_open" });
      const inWindow = new Date(startsAt.getTime() - 24 * 3600_000);
      await expect(book(sessionId, resident.personId, 3, resident, inWindow)).rejects.toBeInstanceOf(PartyTooLarge);
      await expect(book(sessionId, resident.personId, 0, resident, inWindow)).rejects.toBeInstanceOf(InvalidPartySize);
      const mine = await book(sessionId, resident.personId, 2, resident, inWindow);
      expect(mine.status).toBe("confirmed");
      const late = new Date(startsAt.getTime() - 30 * 60_000);
      await expect(book(sessionId, (await makePeople(t.db, stationId, 1))[0]!, 1, coordinator, late)).rejects.toMatchObject({
        code: "signup_closed",
      });
      await expect(cancelSignup(t.db, { stationId, actor: resident, now: late }, mine.id)).rejects.toBeInstanceOf(CancelTooLate);
      // Staff may cancel after the deadline (someone phoned in ill).
      expect((await cancelSignup(t.db, { stationId, actor: coordinator, now: late }, mine.id)).status).toBe("cancelled");
    });

    it("does not promote once the signup window has closed", async () => {
      const { sessionId, startsAt } = await makeSession(t.db, stationId, { capacity: 1, closesMinutes: 60 });
      const [a, b] = await makePeople(t.db, stationId, 2);
      const first = await book(sessionId, a!);
      const second = await book(sessionId, b!);
      const late = new Date(startsAt.getTime() - 30 * 60_000);
      const result = await cancelSignup(t.db, { stationId, actor: coordinator, now: late }, first.id);
      expect(result.promoted).toEqual([]);
      expect(await statusOf(second.id)).toBe("waitlisted");
      expect(await taken(sessionId)).toBe(0);
    });

    it("refuses a cancelled session", async () => {
      const { sessionId, startsAt } = await makeSession(t.db, stationId, { capacity: 5 });
      await updateSession(t.db, { stationId, actorAccountId: coordinator.accountId }, sessionId, {
        startsAt,
        endsAt: new Date(startsAt.getTime() + 3600_000),
        capacity: null,
        location: null,
        status: "cancelled",
      });
      await expect(book(sessionId, (await makePeople(t.db, stationId, 1))[0]!)).rejects.toBeInstanceOf(SignupClosed);
    });

    it("lets people act for themselves, staff for anyone, caretakers for their households only", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 10 });
      const resident = await makeActor(t.db, stationId, ["resident"]);
      const other = await makeActor(t.db, stationId, ["resident"]);
      const caretaker = await makeActor(t.db, stationId, ["volunteer"]);
      const [cared, notCared] = await makePeople(t.db, stationId, 2);
      const [household] = await t.db.insert(households).values({ stationId, label: "富文路 1 号", caretakerId: caretaker.personId }).returning();
      await t.db.execute(sql`update people set household_id = ${household!.id} where id = ${cared!}`);
      await giveConsent(t.db, stationId, household!.id, caretaker.personId);

      await expect(book(sessionId, other.personId, 1, resident)).rejects.toBeInstanceOf(NotAllowed);
      const forCared = await book(sessionId, cared!, 1, caretaker);
      expect(forCared.status).toBe("confirmed");
      await expect(book(sessionId, notCared!, 1, caretaker)).rejects.toBeInstanceOf(NotAllowed);
      await expect(book(sessionId, 99_999_999, 1, coordinator)).rejects.toBeInstanceOf(NotFound);
      // Someone else's signup is invisible to a resident.
      await expect(cancelSignup(t.db, { stationId, actor: resident }, forCared.id)).rejects.toBeInstanceOf(NotFound);
      // Proxy bookings are recorded: who, for whom, when.
      const [entry] = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "signup.create"), eq(auditLog.targetId, forCared.id)));
      expect(entry).toMatchObject({ actorAccountId: caretaker.accountId, details: { personId: cared, proxy: true, sessionId } });
      const list = await listSessionSignups(t.db, stationId, sessionId);
      expect(list.find((s) => s.id === forCared.id)!.bookedBy).toBe("测试用户");
    });

    it("a waitlisted person can leave the list; their place in line is gone", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 1 });
      const [a, b, c] = await makePeople(t.db, stationId, 3);
      await book(sessionId, a!);
      const b1 = await book(sessionId, b!);
      const c1 = await book(sessionId, c!);
      expect((await cancelSignup(t.db, { stationId, actor: coordinator }, b1.id)).promoted).toEqual([]);
      expect((await getActiveSignup(t.db, sessionId, c!))!.waitlistPosition).toBe(1);
      expect(await taken(sessionId)).toBe(1);
      void c1;
    });

    it("keeps the counts right under Promise.all on one connection too", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 20 });
      const ids = await makePeople(t.db, stationId, 40);
      const results = await Promise.all(ids.map((id, i) => book(sessionId, id, (i % 3) + 1)));
      const confirmedPeople = results.filter((r) => r.status === "confirmed").reduce((n, r) => n + r.partySize, 0);
      expect(confirmedPeople).toBeLessThanOrEqual(20);
      expect(await taken(sessionId)).toBe(confirmedPeople);
      const cancelled = await Promise.all(
        results
          .filter((r) => r.status === "confirmed")
          .slice(0, 5)
          .map((r) => cancelSignup(t.db, { stationId, actor: coordinator }, r.id)),
      );
      const promoted = cancelled.flatMap((c) => c.promoted);
      expect(new Set(promoted).size).toBe(promoted.length);
      const rows = await t.db
        .select()
        .from(signups)
        .where(and(eq(signups.sessionId, sessionId), eq(signups.status, "confirmed")));
      expect(rows.reduce((n, r) => n + r.partySize, 0)).toBe(await taken(sessionId));
      expect(await taken(sessionId)).toBeLessThanOrEqual(20);
    });
  });
}
