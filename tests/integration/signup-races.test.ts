// Races only show on real PostgreSQL (PGlite is one connection): these run when
// TEST_DATABASE_URL is set, and CI always sets it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { confirmedPeople, makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { cancelSignup, signUp, type SignupResult } from "../../models/signups";
import { sessions, signups } from "../../models/db/schema";
import type { Db } from "../../models/db";
import type { Actor } from "../../models/permissions";
import { setSessionGateWidth } from "../../models/session-gate";

const postgres = backends.find((b) => b.name === "postgres");
const CLIENTS = 64;
const ATTEMPTS = 3000;
const CAPACITY = 100;
const partyOf = (i: number) => (i % 3) + 1;

/** Runs `jobs` with at most `clients` in flight, like that many independent clients. */
async function withClients<T>(clients: number, jobs: (() => Promise<T>)[]): Promise<PromiseSettledResult<T>[]> {
  const results: PromiseSettledResult<T>[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < jobs.length) {
        const i = next++;
        try {
          results[i] = { status: "fulfilled", value: await jobs[i]!() };
        } catch (reason) {
          results[i] = { status: "rejected", reason };
        }
      }
    }),
  );
  return results;
}

/** The check-then-insert the model must not be: count the confirmed people, then insert. */
async function naiveSignUp(db: Db, stationId: number, sessionId: number, personId: number, partySize: number, seq: number) {
  const confirmed = await confirmedPeople(db, sessionId);
  const status = confirmed + partySize <= CAPACITY ? "confirmed" : "waitlisted";
  await db.insert(signups).values({ stationId, sessionId, personId, partySize, status, seq });
  return status;
}

describe.runIf(postgres)("signup races on PostgreSQL", () => {
  // One connection per client, so the 64 clients really are concurrent in the database.
  const t = useBackend(postgres!, { beforeAll, afterAll }, { poolSize: CLIENTS });
  let stationId = 0;
  let coordinator: Actor;

  beforeAll(async () => {
    stationId = (await ensureStation(t.db)).id;
    coordinator = await makeActor(t.db, stationId, ["coordinator"]);
  });

  // Gate off: all 64 clients reach the row lock at once, the hardest case for the database.
  // Gate at 4 (the default): the path production takes.
  it.each([0, 4])(
    `${ATTEMPTS} people, ${CLIENTS} clients, ${CAPACITY} places, session gate %i: never overbooked, filled to the most that fit, waitlist in commit order`,
    async (gate) => {
      setSessionGateWidth(gate);
      const { sessionId } = await makeSession(t.db, stationId, { capacity: CAPACITY });
      const personIds = await makePeople(t.db, stationId, ATTEMPTS, "抢号");
      const results = await withClients(
        CLIENTS,
        personIds.map((personId, i) => () => signUp(t.db, { stationId, actor: coordinator }, { sessionId, personId, partySize: partyOf(i) })),
      );
      const failures = results.filter((r) => r.status === "rejected");
      expect(failures.map((f) => String((f as PromiseRejectedResult).reason))).toEqual([]);
      const done = results.map((r) => (r as PromiseFulfilledResult<SignupResult>).value);

      const [session] = await t.db.select().from(sessions).where(eq(sessions.id, sessionId));
      const confirmed = await confirmedPeople(t.db, sessionId);
      expect(confirmed).toBeLessThanOrEqual(CAPACITY);
      expect(session!.taken).toBe(confirmed);
      // The most that fit: no waitlisted party would fit in the places left.
      const waiting = await t.db
        .select()
        .from(signups)
        .where(and(eq(signups.sessionId, sessionId), eq(signups.status, "waitlisted")))
        .orderBy(asc(signups.seq));
      expect(waiting.length).toBeGreaterThan(0);
      // The waitlist counter kept under the lock agrees with the rows.
      expect(session!.waitlistedParties).toBe(waiting.length);
      expect(Math.min(...waiting.map((w) => w.partySize))).toBeGreaterThan(CAPACITY - confirmed);
      expect(confirmed).toBe(CAPACITY);
      // Arrival numbers are handed out under the row lock, so they follow commit order; the
      // positions people were told, read in that order, are exactly 1, 2, 3, …
      const told = new Map(done.filter((d) => d.status === "waitlisted").map((d) => [d.id, d.waitlistPosition]));
      expect(waiting.map((w) => told.get(w.id))).toEqual(waiting.map((_, i) => i + 1));
      expect(new Set((await t.db.select({ seq: signups.seq }).from(signups).where(eq(signups.sessionId, sessionId))).map((r) => r.seq)).size).toBe(
        ATTEMPTS,
      );
    },
  );

  it("negative control: a naive check-then-insert overbooks under the same rush", async () => {
    const { sessionId } = await makeSession(t.db, stationId, { capacity: CAPACITY });
    const personIds = await makePeople(t.db, stationId, ATTEMPTS, "对照");
    await withClients(
      CLIENTS,
      personIds.map((personId, i) => () => naiveSignUp(t.db, stationId, sessionId, personId, partyOf(i), i + 1)),
    );
    expect(await confirmedPeople(t.db, sessionId)).toBeGreaterThan(CAPACITY);
  });

  it("30 concurrent cancellations promote exactly the right waitlisted signups, each once", async () => {
    const { sessionId } = await makeSession(t.db, stationId, { capacity: 30 });
    const seats = await makePeople(t.db, stationId, 30, "已约");
    const booked: SignupResult[] = [];
    for (const personId of seats) booked.push(await signUp(t.db, { stationId, actor: coordinator }, { sessionId, personId, partySize: 1 }));
    const sizes = Array.from({ length: 40 }, (_, i) => [3, 1, 2, 2, 1, 3, 1][i % 7]!);
    const queue: { id: number; size: number }[] = [];
    for (const [i, personId] of (await makePeople(t.db, stationId, 40, "候补")).entries()) {
      const r = await signUp(t.db, { stationId, actor: coordinator }, { sessionId, personId, partySize: sizes[i]! });
      expect(r.status).toBe("waitlisted");
      queue.push({ id: r.id, size: sizes[i]! });
    }
    // What must happen, worked out independently: each cancellation frees one place and
    // the waitlist is scanned first-fit in arrival order.
    let free = 0;
    const expected: number[] = [];
    const waiting = [...queue];
    for (let n = 0; n < 30; n++) {
      free += 1;
      for (let i = 0; i < waiting.length;) {
        if (waiting[i]!.size <= free) {
          free -= waiting[i]!.size;
          expected.push(waiting[i]!.id);
          waiting.splice(i, 1);
        } else i++;
      }
    }
    const results = await withClients(
      30,
      booked.map((b) => () => cancelSignup(t.db, { stationId, actor: coordinator }, b.id)),
    );
    const promoted = results.flatMap((r) => (r.status === "fulfilled" ? r.value.promoted : []));
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    expect(promoted.length).toBe(new Set(promoted).size);
    expect([...promoted].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
    const [session] = await t.db.select().from(sessions).where(eq(sessions.id, sessionId));
    expect(session!.taken).toBe(await confirmedPeople(t.db, sessionId));
    expect(session!.taken).toBe(30 - free);
    expect(session!.waitlistedParties).toBe(waiting.length);
  });
});

describe.runIf(postgres)("a signup stuck behind a lock (PostgreSQL)", () => {
  const t = useBackend(postgres!, { beforeAll, afterAll }, { poolSize: 4, lockTimeoutMs: 200 });

  it("gives up after the lock timeout with Busy (503), writing nothing", async () => {
    const stationId = (await ensureStation(t.db)).id;
    const coordinator = await makeActor(t.db, stationId, ["coordinator"]);
    const { sessionId } = await makeSession(t.db, stationId, { capacity: 10 });
    const [personId] = await makePeople(t.db, stationId, 1);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked: () => void = () => {};
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = t.db.transaction(async (tx) => {
      await tx.select().from(sessions).where(eq(sessions.id, sessionId)).for("update");
      locked();
      await held;
    });
    await isLocked;
    await expect(signUp(t.db, { stationId, actor: coordinator }, { sessionId, personId: personId!, partySize: 1 })).rejects.toMatchObject({
      code: "busy",
      status: 503,
    });
    release();
    await holder;
    expect(await t.db.select().from(signups).where(eq(signups.sessionId, sessionId))).toEqual([]);
    // Once the lock is gone, the same signup goes through.
    expect((await signUp(t.db, { stationId, actor: coordinator }, { sessionId, personId: personId!, partySize: 1 })).status).toBe("confirmed");
  });
});
