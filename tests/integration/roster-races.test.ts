// Races only show on real PostgreSQL (PGlite is one connection): these run when
// TEST_DATABASE_URL is set, and CI always sets it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makeSession } from "../support/signup-fixtures";
import { makeNeed, makeSkill, makeVolunteer } from "../support/roster-fixtures";
import { holdTransaction, untilWaitingOnLock } from "../support/lock-waits";
import { assign, assignInTx, cancelSessionAssignments, listAvailability, removeNeed, setAvailability } from "../../models/rosters";
import { NotFound } from "../../models/errors";
import { updateSession } from "../../models/sessions";
import { NeedInUse, ShiftClosed, ShiftConflict, NeedFull } from "../../models/rosters/errors";
import { assignments, sessions } from "../../models/db/schema";
import type { Db } from "../../models/db";
import type { Actor } from "../../models/permissions";

const postgres = backends.find((b) => b.name === "postgres");
const CLIENTS = 50;

/** Resolves once `count` callers have arrived: every check is made before any insert, as a race would. */
function barrier(count: number) {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return () => {
    if (++arrived === count) release();
    return all;
  };
}

describe.runIf(postgres)("roster races on PostgreSQL", () => {
  // One connection per client, so the clients really are concurrent in the database.
  const t = useBackend(postgres!, { beforeAll, afterAll }, { poolSize: CLIENTS + 2 });
  let stationId = 0;
  let coordinator: Actor;
  const active = (where: ReturnType<typeof and>) =>
    t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(assignments)
      .where(and(where, sql`${assignments.status} IN ('proposed', 'confirmed')`));

  beforeAll(async () => {
    stationId = (await ensureStation(t.db)).id;
    coordinator = await makeActor(t.db, stationId, ["coordinator"]);
  });

  it("32 clients putting one person on 32 overlapping shifts: exactly one succeeds, the rest are told which shift collides", async () => {
    const skill = await makeSkill(t.db, stationId);
    const person = await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] });
    const shifts = [];
    for (let i = 0; i < 32; i++) {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 5, title: `义诊${i}` });
      shifts.push({ sessionId, needId: await makeNeed(t.db, stationId, { sessionId, skillId: skill, headCount: 5 }) });
    }
    const results = await Promise.allSettled(shifts.map((s) => assign(t.db, { stationId, actor: coordinator }, { ...s, personId: person.personId })));
    const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []));
    expect(won).toHaveLength(1);
    const failures = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
    expect(failures).toHaveLength(31);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(ShiftConflict);
      // The collision named is the one shift that won.
      expect((failure as ShiftConflict).params.title).toBe(`义诊${won[0]}`);
    }
    expect((await active(eq(assignments.personId, person.personId)))[0]!.n).toBe(1);
  });

  it("50 volunteers taking a shift of 3 at once: exactly 3 are on it", async () => {
    const skill = await makeSkill(t.db, stationId);
    const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 6 });
    const needId = await makeNeed(t.db, stationId, { sessionId, skillId: skill, headCount: 3 });
    const volunteers = await Promise.all(Array.from({ length: CLIENTS }, () => makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] })));
    const results = await Promise.allSettled(
      volunteers.map((v) => assign(t.db, { stationId, actor: v }, { needId, sessionId, personId: v.personId })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
    expect(refused.every((e) => e instanceof NeedFull)).toBe(true);
    expect((await active(and(eq(assignments.needId, needId), eq(assignments.sessionId, sessionId))))[0]!.n).toBe(3);
  });

  it("an assignment racing a session's cancellation never stays active on the cancelled session (20 rounds)", async () => {
    const skill = await makeSkill(t.db, stationId);
    const volunteers = await Promise.all(Array.from({ length: 4 }, () => makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] })));
    const outcomes = new Set<string>();
    for (let round = 0; round < 20; round++) {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 8 + (round % 5) });
      const needId = await makeNeed(t.db, stationId, { sessionId, skillId: skill, headCount: 4 });
      const results = await Promise.allSettled([
        ...volunteers.map((v) => assign(t.db, { stationId, actor: v }, { needId, sessionId, personId: v.personId })),
        updateSession(t.db, { stationId, actorAccountId: coordinator.accountId }, sessionId, { status: "cancelled" }),
      ]);
      for (const r of results.slice(0, -1)) outcomes.add(r.status === "fulfilled" ? "assigned" : (r.reason as Error).constructor.name);
      expect(results.at(-1)!.status).toBe("fulfilled");
      expect((await active(eq(assignments.sessionId, sessionId)))[0]!.n).toBe(0);
    }
    // Only the two fair outcomes: on it (then stood down by the cancel) or told it is closed.
    expect([...outcomes].every((o) => o === "assigned" || o === "ShiftClosed")).toBe(true);
  });

  it("an assignment made while a cancellation is in flight waits for it and is refused", async () => {
    const skill = await makeSkill(t.db, stationId);
    const v = await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] });
    const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 9 });
    const needId = await makeNeed(t.db, stationId, { sessionId, skillId: skill });
    // The cancellation, held open after it stood the session's shifts down (as updateSession does,
    // but with a plain UPDATE so that only the advisory lock can make the assignment wait).
    const cancel = await holdTransaction(t.db, async (tx) => {
      await tx.update(sessions).set({ status: "cancelled" }).where(eq(sessions.id, sessionId));
      await cancelSessionAssignments(tx, sessionId);
    });
    const attempt = assign(t.db, { stationId, actor: v }, { needId, sessionId, personId: v.personId });
    await untilWaitingOnLock(t.db, attempt);
    cancel.release();
    await cancel.committed;
    await expect(attempt).rejects.toBeInstanceOf(ShiftClosed);
    expect((await active(eq(assignments.sessionId, sessionId)))[0]!.n).toBe(0);
  });

  it("removing a need while someone takes it: either the need goes or the shift stays, never a 500 (20 rounds)", async () => {
    const skill = await makeSkill(t.db, stationId);
    for (let round = 0; round < 20; round++) {
      const v = await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] });
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 10 + (round % 5) });
      const needId = await makeNeed(t.db, stationId, { sessionId, skillId: skill });
      const [taken, removed] = await Promise.allSettled([
        assign(t.db, { stationId, actor: v }, { needId, sessionId, personId: v.personId }),
        removeNeed(t.db, { stationId, actor: coordinator }, needId),
      ]);
      if (taken!.status === "fulfilled") {
        expect(removed).toMatchObject({ status: "rejected", reason: expect.any(NeedInUse) });
      } else {
        expect(taken!.reason).toBeInstanceOf(NotFound);
        expect(removed!.status).toBe("fulfilled");
      }
    }
  });

  it("a need removed while an assignment to it is in flight waits for it and says the need is in use", async () => {
    const skill = await makeSkill(t.db, stationId);
    const v = await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }] });
    const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 9 });
    const needId = await makeNeed(t.db, stationId, { sessionId, skillId: skill });
    const taking = await holdTransaction(t.db, (tx) => assignInTx(tx, { stationId, actor: v }, { needId, sessionId, personId: v.personId }));
    const removal = removeNeed(t.db, { stationId, actor: coordinator }, needId);
    await untilWaitingOnLock(t.db, removal);
    taking.release();
    await taking.committed;
    await expect(removal).rejects.toBeInstanceOf(NeedInUse);
    expect((await active(eq(assignments.needId, needId)))[0]!.n).toBe(1);
  });

  it("20 saves of one person's availability at once: the windows are exactly one save's, never overlapping", async () => {
    const v = await makeVolunteer(t.db, stationId);
    // Each save its own Monday start and Wednesday end: any two mixed would overlap.
    const saves = Array.from({ length: 20 }, (_, i) => [
      { weekday: 1, startTime: `08:${String(i).padStart(2, "0")}`, endTime: "12:00" },
      { weekday: 3, startTime: "14:00", endTime: `17:${String(i).padStart(2, "0")}` },
    ]);
    const results = await Promise.allSettled(saves.map((slots) => setAvailability(t.db, { stationId, actor: v }, v.personId, slots)));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const stored = await listAvailability(t.db, stationId, v.personId);
    expect(saves).toContainEqual(stored);
  });

  describe("negative control: the same races through a naive check-then-insert", () => {
    // A copy of the table without the EXCLUDE constraint and without the lock: the kind of
    // code the model must not be. The assertions above would catch it.
    beforeAll(async () => {
      await t.db.execute(sql`CREATE TABLE naive_assignments (LIKE assignments INCLUDING DEFAULTS)`);
    });

    async function naiveAssign(
      db: Db,
      arrive: () => Promise<void>,
      row: { needId: number; sessionId: number; personId: number; headCount: number; during: string },
    ) {
      const full = await db.execute<{ n: number }>(sql`
        SELECT count(*)::int AS n FROM naive_assignments WHERE need_id = ${row.needId} AND session_id = ${row.sessionId} AND status IN ('proposed', 'confirmed')`);
      const clash = await db.execute(sql`
        SELECT 1 FROM naive_assignments WHERE person_id = ${row.personId} AND during && ${row.during}::tstzrange AND status IN ('proposed', 'confirmed')`);
      await arrive();
      if (full.rows[0]!.n >= row.headCount || clash.rows.length) return false;
      await db.execute(sql`
        INSERT INTO naive_assignments (id, station_id, need_id, session_id, person_id, during, status)
        VALUES (nextval('assignments_id_seq'), ${stationId}, ${row.needId}, ${row.sessionId}, ${row.personId}, ${row.during}::tstzrange, 'confirmed')`);
      return true;
    }

    it("overbooks a shift of 3", async () => {
      const skill = await makeSkill(t.db, stationId);
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 7 });
      const needId = await makeNeed(t.db, stationId, { sessionId, skillId: skill, headCount: 3 });
      const volunteers = await Promise.all(Array.from({ length: CLIENTS }, () => makeVolunteer(t.db, stationId)));
      const arrive = barrier(CLIENTS);
      const during = "[2030-01-01 09:00+08,2030-01-01 11:00+08)";
      const results = await Promise.all(
        volunteers.map((v) => naiveAssign(t.db, arrive, { needId, sessionId, personId: v.personId, headCount: 3, during })),
      );
      expect(results.filter(Boolean).length).toBeGreaterThan(3);
    });

    it("puts one person on overlapping shifts", async () => {
      const person = await makeVolunteer(t.db, stationId);
      const [session] = await t.db.select({ id: sessions.id }).from(sessions).limit(1);
      const arrive = barrier(32);
      const results = await Promise.all(
        Array.from({ length: 32 }, (_, i) =>
          naiveAssign(t.db, arrive, {
            needId: 1_000_000 + i,
            sessionId: session!.id,
            personId: person.personId,
            headCount: 5,
            during: "[2030-02-01 09:00+08,2030-02-01 11:00+08)",
          }),
        ),
      );
      expect(results.filter(Boolean).length).toBeGreaterThan(1);
    });
  });
});
