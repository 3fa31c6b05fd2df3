import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { makeDeskVolunteer } from "../support/desk-fixtures";
import { cancelSignup, signUp } from "../../models/signups";
import { checkIn, checkInWalkIn, undoCheckIn } from "../../models/desk/checkin";
import { checkinSheet, closeCheckin, noShowCounts, setAttendance } from "../../models/desk/attendance";
import { auditLog, people, sessions, signups } from "../../models/db/schema";
import { NotAllowed, NotFound } from "../../models/errors";
import {
  CheckinClosed,
  CheckinNotOpen,
  InvalidDeskInput,
  NotConfirmed,
  OverCapacity,
  SessionCancelled,
  SessionNotStarted,
} from "../../models/desk/errors";
import type { Actor } from "../../models/permissions";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

for (const backend of backends) {
  describe(`check-in and attendance on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let coordinator: Actor;
    const rowOf = async (id: number) => (await t.db.select().from(signups).where(eq(signups.id, id)))[0]!;
    const sessionRow = async (id: number) => (await t.db.select().from(sessions).where(eq(sessions.id, id)))[0]!;
    const auditCount = async (action: string, targetId?: number) =>
      (
        await t.db
          .select({ n: sql<number>`count(*)::int` })
          .from(auditLog)
          .where(and(eq(auditLog.action, action), targetId === undefined ? undefined : eq(auditLog.targetId, targetId)))
      )[0]!.n;
    const peopleCount = async () => (await t.db.select({ n: sql<number>`count(*)::int` }).from(people))[0]!.n;

    /** A session with `booked` confirmed parties (sizes given), booked two days ahead of it. */
    async function sessionWith(capacity: number, parties: number[]) {
      const s = await makeSession(t.db, stationId, { capacity, maxPartySize: 3 });
      const ids = await makePeople(t.db, stationId, parties.length);
      const bookedAt = new Date(s.startsAt.getTime() - 2 * DAY);
      const signupIds: number[] = [];
      for (const [i, party] of parties.entries())
        signupIds.push(
          (await signUp(t.db, { stationId, actor: coordinator, now: bookedAt }, { sessionId: s.sessionId, personId: ids[i]!, partySize: party })).id,
        );
      return { ...s, personIds: ids, signupIds, atStart: s.startsAt, at: (minutes: number) => new Date(s.startsAt.getTime() + minutes * MINUTE) };
    }

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"]);
    });

    it("checks a booked person in with how many of the party came, once; a second check-in writes nothing", async () => {
      const s = await sessionWith(10, [3]);
      const first = await checkIn(
        t.db,
        { stationId, actor: coordinator, now: s.at(-10) },
        { sessionId: s.sessionId, personId: s.personIds[0]!, attended: 2 },
      );
      expect(first).toMatchObject({ attendedCount: 2, partySize: 3, walkIn: false, alreadyCheckedIn: false, overCapacity: false });
      const row = await rowOf(s.signupIds[0]!);
      expect(row).toMatchObject({ attendance: "attended", attendedCount: 2, attendanceByAccountId: coordinator.accountId });
      const second = await checkIn(t.db, { stationId, actor: coordinator, now: s.at(5) }, { sessionId: s.sessionId, personId: s.personIds[0]! });
      expect(second).toMatchObject({ alreadyCheckedIn: true, attendedCount: 2 });
      expect(second.checkedInAt.getTime()).toBe(s.at(-10).getTime());
      expect(await auditCount("checkin", s.signupIds[0]!)).toBe(1);
    });

    it("refuses check-in more than an hour before the start and for a cancelled session, writing nothing", async () => {
      const s = await sessionWith(10, [1]);
      const ctx = (now: Date) => ({ stationId, actor: coordinator, now });
      await expect(checkIn(t.db, ctx(s.at(-61)), { sessionId: s.sessionId, personId: s.personIds[0]! })).rejects.toBeInstanceOf(CheckinNotOpen);
      expect((await rowOf(s.signupIds[0]!)).attendance).toBeNull();
      await expect(checkIn(t.db, ctx(s.at(-60)), { sessionId: s.sessionId, personId: s.personIds[0]! })).resolves.toMatchObject({ attendedCount: 1 });

      const c = await sessionWith(10, [1]);
      await t.db.update(sessions).set({ status: "cancelled" }).where(eq(sessions.id, c.sessionId));
      await expect(checkIn(t.db, ctx(c.at(0)), { sessionId: c.sessionId, personId: c.personIds[0]! })).rejects.toBeInstanceOf(SessionCancelled);
      expect((await rowOf(c.signupIds[0]!)).attendance).toBeNull();
    });

    it("lets staff and the session's desk volunteer check in, nobody else", async () => {
      const s = await sessionWith(10, [1, 1]);
      const desk = await makeDeskVolunteer(t.db, stationId, s.sessionId);
      const otherVolunteer = await makeActor(t.db, stationId, ["volunteer"]);
      const resident = await makeActor(t.db, stationId, ["resident"]);
      const input = { sessionId: s.sessionId, personId: s.personIds[0]! };
      await expect(checkIn(t.db, { stationId, actor: otherVolunteer, now: s.at(0) }, input)).rejects.toBeInstanceOf(NotAllowed);
      await expect(checkIn(t.db, { stationId, actor: resident, now: s.at(0) }, input)).rejects.toBeInstanceOf(NotAllowed);
      expect((await rowOf(s.signupIds[0]!)).attendance).toBeNull();
      await expect(checkIn(t.db, { stationId, actor: desk, now: s.at(0) }, input)).resolves.toMatchObject({ alreadyCheckedIn: false });
      // The desk volunteer of one session is nobody at another.
      const other = await sessionWith(10, [1]);
      await expect(
        checkIn(t.db, { stationId, actor: desk, now: other.at(0) }, { sessionId: other.sessionId, personId: other.personIds[0]! }),
      ).rejects.toBeInstanceOf(NotAllowed);
    });

    it("refuses a person or session of another station as not found", async () => {
      const s = await sessionWith(10, [1]);
      const elsewhere = await ensureStation(t.db, "elsewhere");
      const [stranger] = await makePeople(t.db, elsewhere.id, 1);
      await expect(
        checkIn(t.db, { stationId, actor: coordinator, now: s.at(0) }, { sessionId: s.sessionId, personId: stranger! }),
      ).rejects.toBeInstanceOf(NotFound);
      const outsider = await makeActor(t.db, elsewhere.id, ["coordinator"]);
      await expect(
        checkIn(t.db, { stationId: elsewhere.id, actor: outsider, now: s.at(0) }, { sessionId: s.sessionId, personId: s.personIds[0]! }),
      ).rejects.toBeInstanceOf(NotFound);
      expect(await t.db.select().from(signups).where(eq(signups.personId, stranger!))).toHaveLength(0);
    });

    it("rejects a count of the party that is not 1..party size, writing nothing", async () => {
      const s = await sessionWith(10, [2]);
      for (const attended of [0, 3, 1.5])
        await expect(
          checkIn(t.db, { stationId, actor: coordinator, now: s.at(0) }, { sessionId: s.sessionId, personId: s.personIds[0]!, attended }),
        ).rejects.toBeInstanceOf(InvalidDeskInput);
      expect((await rowOf(s.signupIds[0]!)).attendance).toBeNull();
    });

    it("registers and checks in a walk-in in one transaction; a volunteer is stopped at the capacity and nobody is registered", async () => {
      const s = await sessionWith(3, [2]);
      const desk = await makeDeskVolunteer(t.db, stationId, s.sessionId);
      const walkIn = await checkInWalkIn(
        t.db,
        { stationId, actor: desk, now: s.at(0) },
        { sessionId: s.sessionId, person: { fullName: "李来访", phone: "139 0000 1111" } },
      );
      expect(walkIn).toMatchObject({ walkIn: true, registered: true, attendedCount: 1, overCapacity: false, expected: 3 });
      // The same name and phone again is the same person, already checked in.
      const again = await checkInWalkIn(
        t.db,
        { stationId, actor: desk, now: s.at(1) },
        { sessionId: s.sessionId, person: { fullName: "李来访", phone: "13900001111" } },
      );
      expect(again).toMatchObject({ registered: false, alreadyCheckedIn: true, personId: walkIn.personId });

      const before = await peopleCount();
      await expect(
        checkInWalkIn(
          t.db,
          { stationId, actor: desk, now: s.at(2) },
          { sessionId: s.sessionId, person: { fullName: "王满员", phone: "13900002222" } },
        ),
      ).rejects.toBeInstanceOf(OverCapacity);
      expect(await peopleCount()).toBe(before);

      const staffWalkIn = await checkInWalkIn(
        t.db,
        { stationId, actor: coordinator, now: s.at(3) },
        { sessionId: s.sessionId, person: { fullName: "王满员", phone: "13900002222" }, partySize: 2 },
      );
      expect(staffWalkIn).toMatchObject({ overCapacity: true, expected: 5, capacity: 3, attendedCount: 2 });
      // Walk-ins take no booked place: the counter the signups keep is untouched.
      expect((await sessionRow(s.sessionId)).taken).toBe(2);
    });

    it("checks in a waitlisted person as a walk-in and keeps the waitlist count true", async () => {
      const s = await sessionWith(1, [1, 1]);
      expect((await rowOf(s.signupIds[1]!)).status).toBe("waitlisted");
      const result = await checkIn(t.db, { stationId, actor: coordinator, now: s.at(0) }, { sessionId: s.sessionId, personId: s.personIds[1]! });
      expect(result).toMatchObject({ walkIn: true, overCapacity: true, signupId: s.signupIds[1]! });
      expect(await rowOf(s.signupIds[1]!)).toMatchObject({ status: "confirmed", walkIn: true, attendance: "attended" });
      expect(await sessionRow(s.sessionId)).toMatchObject({ taken: 1, waitlistedParties: 0 });
    });

    it("undoes a check-in: a booking goes back to not checked in, a walk-in goes away without touching the booked places", async () => {
      const s = await sessionWith(5, [1]);
      const ctx = { stationId, actor: coordinator, now: s.at(0) };
      await checkIn(t.db, ctx, { sessionId: s.sessionId, personId: s.personIds[0]! });
      expect(await undoCheckIn(t.db, ctx, { sessionId: s.sessionId, personId: s.personIds[0]! })).toMatchObject({
        attendance: null,
        walkInRemoved: false,
      });
      expect(await rowOf(s.signupIds[0]!)).toMatchObject({ attendance: null, attendedCount: null, status: "confirmed" });
      await expect(undoCheckIn(t.db, ctx, { sessionId: s.sessionId, personId: s.personIds[0]! })).rejects.toBeInstanceOf(NotFound);

      const w = await checkInWalkIn(t.db, ctx, { sessionId: s.sessionId, person: { fullName: "赵路过" } });
      await undoCheckIn(t.db, ctx, { sessionId: s.sessionId, personId: w.personId });
      expect(await rowOf(w.signupId)).toMatchObject({ status: "cancelled", attendance: null });
      expect((await sessionRow(s.sessionId)).taken).toBe(1);
    });

    it("closes check-in: confirmed people not checked in become no-shows; afterwards only staff change it, audited", async () => {
      const s = await sessionWith(10, [1, 2, 1]);
      const desk = await makeDeskVolunteer(t.db, stationId, s.sessionId);
      await checkIn(t.db, { stationId, actor: desk, now: s.at(0) }, { sessionId: s.sessionId, personId: s.personIds[0]! });
      await expect(closeCheckin(t.db, { stationId, actor: coordinator, now: s.at(-5) }, s.sessionId)).rejects.toBeInstanceOf(SessionNotStarted);
      await expect(closeCheckin(t.db, { stationId, actor: desk, now: s.at(130) }, s.sessionId)).rejects.toBeInstanceOf(NotAllowed);
      expect(await closeCheckin(t.db, { stationId, actor: coordinator, now: s.at(130) }, s.sessionId)).toEqual({
        alreadyClosed: false,
        noShows: 2,
        attended: 1,
      });
      expect((await rowOf(s.signupIds[1]!)).attendance).toBe("no_show");
      expect((await rowOf(s.signupIds[2]!)).attendance).toBe("no_show");
      expect((await rowOf(s.signupIds[0]!)).attendance).toBe("attended");
      expect(await closeCheckin(t.db, { stationId, actor: coordinator, now: s.at(140) }, s.sessionId)).toMatchObject({
        alreadyClosed: true,
        noShows: 0,
      });
      expect(await auditCount("checkin.close", s.sessionId)).toBe(1);

      await expect(
        checkIn(t.db, { stationId, actor: desk, now: s.at(150) }, { sessionId: s.sessionId, personId: s.personIds[1]! }),
      ).rejects.toBeInstanceOf(CheckinClosed);
      expect((await rowOf(s.signupIds[1]!)).attendance).toBe("no_show");
      await checkIn(t.db, { stationId, actor: coordinator, now: s.at(150) }, { sessionId: s.sessionId, personId: s.personIds[1]!, attended: 1 });
      expect(await rowOf(s.signupIds[1]!)).toMatchObject({ attendance: "attended", attendedCount: 1 });
      expect(await auditCount("checkin.after_close", s.signupIds[1]!)).toBe(1);
      // Undone after the close, a booking is a no-show again, not "unknown".
      await undoCheckIn(t.db, { stationId, actor: coordinator, now: s.at(151) }, { sessionId: s.sessionId, personId: s.personIds[1]! });
      expect((await rowOf(s.signupIds[1]!)).attendance).toBe("no_show");
    });

    it("lets staff set the attendance afterwards, with a reason for an excused no-show kept out of the audit log", async () => {
      const s = await sessionWith(10, [2, 1, 1]);
      const ctx = { stationId, actor: coordinator, now: s.at(200) };
      await expect(setAttendance(t.db, ctx, { signupId: s.signupIds[0]!, attendance: "no_show_excused" })).rejects.toBeInstanceOf(InvalidDeskInput);
      await expect(setAttendance(t.db, ctx, { signupId: s.signupIds[0]!, attendance: "maybe" })).rejects.toBeInstanceOf(InvalidDeskInput);
      expect(await setAttendance(t.db, ctx, { signupId: s.signupIds[0]!, attendance: "no_show_excused", reason: "  住院复查 " })).toMatchObject({
        reason: "住院复查",
      });
      const audit = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "attendance.set"), eq(auditLog.targetId, s.signupIds[0]!)));
      expect(JSON.stringify(audit)).not.toContain("住院");
      await setAttendance(t.db, ctx, { signupId: s.signupIds[0]!, attendance: "attended", attended: 1 });
      expect(await rowOf(s.signupIds[0]!)).toMatchObject({ attendance: "attended", attendedCount: 1, attendanceReason: null });

      const desk = await makeDeskVolunteer(t.db, stationId, s.sessionId);
      await expect(setAttendance(t.db, { ...ctx, actor: desk }, { signupId: s.signupIds[1]!, attendance: "no_show" })).rejects.toBeInstanceOf(
        NotAllowed,
      );
      await expect(setAttendance(t.db, { ...ctx, now: s.at(-30) }, { signupId: s.signupIds[1]!, attendance: "no_show" })).rejects.toBeInstanceOf(
        SessionNotStarted,
      );
      expect((await rowOf(s.signupIds[1]!)).attendance).toBeNull();

      const full = await sessionWith(1, [1, 1]);
      await expect(
        setAttendance(t.db, { stationId, actor: coordinator, now: full.at(200) }, { signupId: full.signupIds[1]!, attendance: "attended" }),
      ).rejects.toBeInstanceOf(NotConfirmed);
    });

    it("keeps the engine's rules on attendance whatever the code does", async () => {
      const s = await sessionWith(10, [2]);
      const id = s.signupIds[0]!;
      const attempts = [
        { attendance: "attended" as const, attendedCount: null, attendanceAt: new Date() },
        { attendance: "attended" as const, attendedCount: 3, attendanceAt: new Date() },
        { attendance: "no_show_excused" as const, attendanceReason: null, attendanceAt: new Date() },
        { attendance: null, attendedCount: 1 },
        { attendance: "no_show" as const, attendanceAt: null },
      ];
      for (const values of attempts) await expect(t.db.update(signups).set(values).where(eq(signups.id, id))).rejects.toThrow();
      expect((await rowOf(id)).attendance).toBeNull();
    });

    it("refuses to cancel a signup with an attendance, and a cancelled walk-in gives back no booked place", async () => {
      // Before the start, when staff may still cancel a place: the attendance is what refuses it.
      const s = await sessionWith(5, [1]);
      await checkIn(t.db, { stationId, actor: coordinator, now: s.at(-30) }, { sessionId: s.sessionId, personId: s.personIds[0]! });
      await expect(cancelSignup(t.db, { stationId, actor: coordinator, now: s.at(-20) }, s.signupIds[0]!)).rejects.toMatchObject({
        code: "signup_has_attendance",
      });
      const w = await checkInWalkIn(
        t.db,
        { stationId, actor: coordinator, now: s.at(-10) },
        { sessionId: s.sessionId, person: { fullName: "钱临时" } },
      );
      await undoCheckIn(t.db, { stationId, actor: coordinator, now: s.at(-5) }, { sessionId: s.sessionId, personId: w.personId });
      expect((await sessionRow(s.sessionId)).taken).toBe(1);
    });

    it("counts each person's no-shows over the last 90 days in one call for a list", async () => {
      const [a, b, c] = await makePeople(t.db, stationId, 3, "缺席");
      const now = new Date();
      const mk = async (daysAgo: number, personId: number, attendance: "no_show" | "attended" | "no_show_excused") => {
        // Sessions are materialised ahead of now only: this one is moved into the past.
        const s = await makeSession(t.db, stationId, { capacity: 5 });
        const startsAt = new Date(now.getTime() - daysAgo * DAY);
        await t.db
          .update(sessions)
          .set({ startsAt, endsAt: new Date(startsAt.getTime() + 120 * MINUTE) })
          .where(eq(sessions.id, s.sessionId));
        await t.db.insert(signups).values({
          stationId,
          sessionId: s.sessionId,
          personId,
          partySize: 1,
          status: "confirmed",
          seq: 1,
          attendance,
          attendedCount: attendance === "attended" ? 1 : null,
          attendanceReason: attendance === "no_show_excused" ? "病假" : null,
          attendanceAt: now,
        });
      };
      await mk(5, a!, "no_show");
      await mk(40, a!, "no_show");
      await mk(100, a!, "no_show");
      await mk(10, b!, "attended");
      await mk(12, b!, "no_show_excused");
      await mk(3, c!, "no_show");
      const counts = await noShowCounts(t.db, stationId, [a!, b!, c!], now);
      expect([counts.get(a!), counts.get(b!), counts.get(c!)]).toEqual([2, 0, 1]);
      expect((await noShowCounts(t.db, 999_999, [a!], now)).get(a!)).toBe(0);
    });

    it("lists the sheet with search by name or the phone's last 4 digits; needs only to staff", async () => {
      const s = await sessionWith(10, [1, 1]);
      await t.db.update(people).set({ fullName: "孙秀英", phone: "13812345678", needs: "轮椅" }).where(eq(people.id, s.personIds[0]!));
      const desk = await makeDeskVolunteer(t.db, stationId, s.sessionId);
      const byPhone = await checkinSheet(t.db, { stationId, actor: desk, now: s.at(0) }, s.sessionId, "5678");
      expect(byPhone.map((r) => r.personId)).toEqual([s.personIds[0]!]);
      expect(byPhone[0]).toMatchObject({ phoneLast4: "5678", needs: null });
      const byName = await checkinSheet(t.db, { stationId, actor: coordinator, now: s.at(0) }, s.sessionId, "秀英");
      expect(byName[0]).toMatchObject({ personId: s.personIds[0]!, needs: "轮椅" });
      expect(await checkinSheet(t.db, { stationId, actor: coordinator, now: s.at(0) }, s.sessionId)).toHaveLength(2);
      const other = await makeActor(t.db, stationId, ["volunteer"]);
      await expect(checkinSheet(t.db, { stationId, actor: other }, s.sessionId)).rejects.toBeInstanceOf(NotAllowed);
    });
  });
}
