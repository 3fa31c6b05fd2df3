// Races only show on real PostgreSQL (PGlite is one connection): these run when
// TEST_DATABASE_URL is set, and CI always sets it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { ZONE, makeActor, makeSession } from "../support/signup-fixtures";
import { makeNeed, makeSkill, makeVolunteer } from "../support/roster-fixtures";
import { signUp } from "../../models/signups";
import { assign } from "../../models/rosters";
import { assignInTx } from "../../models/rosters/assignments";
import { makeService } from "../support/consultation-fixtures";
import { untilWaitingOnLock } from "../support/lock-waits";
import type { ConsultationService } from "../../models/consultations/services";
import { addProviderHours } from "../../models/consultations/hours";
import { bookConsultation } from "../../models/consultations/bookings";
import { assignments, consultations, providerHours, signups } from "../../models/db/schema";
import type { Db } from "../../models/db";
import type { Actor } from "../../models/permissions";

const postgres = backends.find((b) => b.name === "postgres");
const CLIENTS = 16;
const ROUNDS = 20;

/**
 * The races of docs/decisions/0015-commitments-ledger.md (and 0027: consultation hours), run twice: on a database as migrated,
 * and (the negative control) on one whose `commitments_no_overlap` was dropped, to show that
 * the same test sees a person put in two places when the engine does not refuse it.
 */
function races(withConstraint: boolean) {
  return () => {
    const t = useBackend(postgres!, { beforeAll, afterAll }, { poolSize: CLIENTS + 4 });
    let stationId = 0;
    let coordinator: Actor;
    let skillId = 0;
    let day = 0;
    let service: ConsultationService;

    beforeAll(async () => {
      if (!withConstraint) await t.db.execute(sql`ALTER TABLE commitments DROP CONSTRAINT commitments_no_overlap`);
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"]);
      const admin = await makeActor(t.db, stationId, ["admin"]);
      skillId = await makeSkill(t.db, stationId);
      // Consultation hours (ADR 27): any volunteer with the skill may keep them.
      service = await makeService(t.db, stationId, admin, skillId, { bookAheadDays: 90, maxUpcoming: 10 });
    });

    /** The person's hours on the local day `day` days ahead, for that day only. */
    const hoursOn = (personId: number, days: number, startTime: string, endTime: string) => {
      const date = DateTime.now().setZone(ZONE).plus({ days }).startOf("day");
      return {
        serviceId: service.id,
        providerPersonId: personId,
        weekday: date.weekday,
        startTime,
        endTime,
        location: "法律服务室",
        fromDate: date.toISODate()!,
        untilDate: date.toISODate()!,
      };
    };

    /** What the person holds now: confirmed signups, active shifts, hours kept and consultations booked (the sources, not the ledger). */
    async function holdings(db: Db, personId: number) {
      const [confirmed] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(signups)
        .where(and(eq(signups.personId, personId), eq(signups.status, "confirmed")));
      const [working] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(assignments)
        .where(and(eq(assignments.personId, personId), sql`${assignments.status} IN ('proposed', 'confirmed')`));
      const [hours] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(providerHours)
        .where(eq(providerHours.providerPersonId, personId));
      const [having] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(consultations)
        .where(and(eq(consultations.personId, personId), eq(consultations.status, "booked")));
      return confirmed!.n + working!.n + hours!.n + having!.n;
    }

    /** A session and a shift of another session, both at 09:00–11:00 on one day (a new day each time). */
    async function sessionAndShift() {
      day++;
      const attend = await makeSession(t.db, stationId, { capacity: 20, daysAhead: day, opensDays: 60, title: `讲座${day}` });
      const work = await makeSession(t.db, stationId, { capacity: 20, daysAhead: day, opensDays: 60, title: `义诊${day}` });
      const needId = await makeNeed(t.db, stationId, { sessionId: work.sessionId, skillId, headCount: 5 });
      return { attend: attend.sessionId, shift: { needId, sessionId: work.sessionId } };
    }

    // Timing decides whether a free-running round interleaves, so only the guarded database is
    // asserted here; the two tests after it hold the interleaving and have their negative control.
    if (withConstraint)
      it(`a signup racing an assignment for the same person and time (${ROUNDS} rounds): exactly one survives`, async () => {
        const outcomes = new Set<string>();
        for (let round = 0; round < ROUNDS; round++) {
          const person = await makeVolunteer(t.db, stationId, { skills: [{ skillId }] });
          const { attend, shift } = await sessionAndShift();
          const results = await Promise.allSettled([
            signUp(t.db, { stationId, actor: coordinator }, { sessionId: attend, personId: person.personId, partySize: 1 }),
            assign(t.db, { stationId, actor: coordinator }, { ...shift, personId: person.personId }),
          ]);
          for (const r of results) outcomes.add(r.status === "fulfilled" ? "ok" : ((r.reason as { code?: string }).code ?? String(r.reason)));
          expect(await holdings(t.db, person.personId)).toBe(1);
        }
        // Refusals are named conflicts, never a stray database error.
        expect(
          [...outcomes].every((o) => ["ok", "person_conflict", "signup_conflict"].includes(o)),
          [...outcomes].join(),
        ).toBe(true);
      });

    it(`an assignment made while a signup's transaction is open ${withConstraint ? "waits for it and is refused naming the session" : "slips past its check"}`, async () => {
      const person = await makeVolunteer(t.db, stationId, { skills: [{ skillId }] });
      const { attend, shift } = await sessionAndShift();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let signed!: () => void;
      const signedUp = new Promise<void>((resolve) => (signed = resolve));
      // The signup written and not yet committed (as a walk-in's transaction at the desk would be).
      const booking = t.db.transaction(async (tx) => {
        await signUp(tx, { stationId, actor: coordinator }, { sessionId: attend, personId: person.personId, partySize: 1 });
        signed();
        await gate;
      });
      await signedUp;
      const attempt = assign(t.db, { stationId, actor: coordinator }, { ...shift, personId: person.personId });
      attempt.catch(() => undefined);
      // Until the assignment finished or is seen waiting on the signup's row (no timing assumed).
      await untilWaitingOnLock(t.db, attempt);
      // The application's own check cannot see an uncommitted signup: only the engine can stop it.
      release();
      await booking;
      if (withConstraint) {
        await expect(attempt).rejects.toMatchObject({ code: "signup_conflict", params: { title: `讲座${day}` } });
        expect(await holdings(t.db, person.personId)).toBe(1);
      } else {
        await attempt;
        expect(await holdings(t.db, person.personId)).toBe(2);
      }
    });

    if (withConstraint)
      it(`hours added while a shift for the same person and time is taken (${ROUNDS} rounds): exactly one survives`, async () => {
        const outcomes = new Set<string>();
        for (let round = 0; round < ROUNDS; round++) {
          const person = await makeVolunteer(t.db, stationId, { skills: [{ skillId }] });
          const { shift } = await sessionAndShift();
          const results = await Promise.allSettled([
            addProviderHours(t.db, { stationId, actor: coordinator }, hoursOn(person.personId, day, "10:00", "12:00")),
            assign(t.db, { stationId, actor: coordinator }, { ...shift, personId: person.personId }),
          ]);
          for (const r of results) outcomes.add(r.status === "fulfilled" ? "ok" : ((r.reason as { code?: string }).code ?? String(r.reason)));
          expect(await holdings(t.db, person.personId)).toBe(1);
        }
        expect(
          [...outcomes].every((o) => ["ok", "person_conflict", "shift_conflict"].includes(o)),
          [...outcomes].join(),
        ).toBe(true);
      });

    it(`hours added while a shift's transaction is open ${withConstraint ? "wait for it and are refused naming the shift" : "slip past"}`, async () => {
      const person = await makeVolunteer(t.db, stationId, { skills: [{ skillId }] });
      const { shift } = await sessionAndShift();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let assigned!: () => void;
      const onShift = new Promise<void>((resolve) => (assigned = resolve));
      const rostering = t.db.transaction(async (tx) => {
        await assignInTx(tx, { stationId, actor: coordinator }, { ...shift, personId: person.personId });
        assigned();
        await gate;
      });
      await onShift;
      const attempt = addProviderHours(t.db, { stationId, actor: coordinator }, hoursOn(person.personId, day, "10:00", "12:00"));
      attempt.catch(() => undefined);
      await untilWaitingOnLock(t.db, attempt);
      release();
      await rostering;
      if (withConstraint) {
        await expect(attempt).rejects.toMatchObject({ code: "person_conflict", params: { kind: "shift", title: `义诊${day}` } });
        expect(await holdings(t.db, person.personId)).toBe(1);
      } else {
        await attempt;
        expect(await holdings(t.db, person.personId)).toBe(2);
      }
    });

    it(`${CLIENTS} clients booking one person into ${CLIENTS} overlapping signups, shifts, hours and consultations at once: ${withConstraint ? "exactly one" : "more than one"} survives`, async () => {
      const person = await makeVolunteer(t.db, stationId, { skills: [{ skillId }] });
      day++;
      const sessionDay = DateTime.now().setZone(ZONE).plus({ days: day }).startOf("day");
      const calls: (() => Promise<unknown>)[] = [];
      // Everything below holds 09:45–10:00 that day; no two of them could both be the person's.
      const giving = [
        ["09:00", "10:00"],
        ["09:15", "10:15"],
        ["09:30", "10:30"],
        ["09:45", "10:45"],
      ] as const;
      for (let i = 0; i < CLIENTS / 4; i++) {
        const attend = await makeSession(t.db, stationId, { capacity: 20, daysAhead: day, opensDays: 60, title: `活动${i}` });
        const work = await makeSession(t.db, stationId, { capacity: 20, daysAhead: day, opensDays: 60, title: `值班${i}` });
        const needId = await makeNeed(t.db, stationId, { sessionId: work.sessionId, skillId, headCount: 5, startOffsetMinutes: 30 });
        // Another provider's hours, in which the person books 09:30–10:00.
        const provider = await makeVolunteer(t.db, stationId, { skills: [{ skillId }] });
        await addProviderHours(t.db, { stationId, actor: coordinator }, hoursOn(provider.personId, day, "09:00", "11:00"));
        const [from, to] = giving[i]!;
        calls.push(() => signUp(t.db, { stationId, actor: coordinator }, { sessionId: attend.sessionId, personId: person.personId, partySize: 1 }));
        calls.push(() => assign(t.db, { stationId, actor: coordinator }, { needId, sessionId: work.sessionId, personId: person.personId }));
        calls.push(() => addProviderHours(t.db, { stationId, actor: coordinator }, hoursOn(person.personId, day, from, to)));
        calls.push(() =>
          bookConsultation(
            t.db,
            { stationId, actor: coordinator },
            {
              serviceId: service.id,
              startsAt: DateTime.fromISO(`${sessionDay.toISODate()}T09:30`, { zone: ZONE }).toJSDate(),
              providerPersonId: provider.personId,
              personId: person.personId,
            },
          ),
        );
      }
      const results = await Promise.allSettled(calls.map((call) => call()));
      const won = results.filter((r) => r.status === "fulfilled").length;
      const held = await holdings(t.db, person.personId);
      expect(held).toBe(won);
      if (!withConstraint) {
        expect(held).toBeGreaterThan(1);
        return;
      }
      expect(won).toBe(1);
      const codes = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as { code?: string }).code] : []));
      expect(codes).toHaveLength(CLIENTS - 1);
      // Refusals are named conflicts (a booking whose client is elsewhere too), never a stray database error.
      expect(
        codes.every((c) => c === "person_conflict" || c === "signup_conflict" || c === "shift_conflict"),
        codes.join(),
      ).toBe(true);
      const [ledger] = await t.db
        .execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM commitments WHERE person_id = ${person.personId}`)
        .then((r) => r.rows);
      expect(ledger!.n).toBe(1);
    });
  };
}

describe.runIf(postgres)("commitments races on PostgreSQL", races(true));
describe.runIf(postgres)("negative control: the same races without commitments_no_overlap", races(false));
