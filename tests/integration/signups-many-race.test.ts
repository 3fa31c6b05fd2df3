// Booking several people at once under a rush (ADR 25), on real PostgreSQL (PGlite is one
// connection and cannot race): many caretakers each book their households onto one session at
// the same moment. Exactly the capacity is confirmed, everyone else waits, nobody meets a
// deadlock or a "busy"; a naive check-then-insert under the same rush overbooks, so the test can
// see an overbooking; and the one-transaction design ADR 25 turned down would hold every
// booking of the station behind it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { confirmedPeople, makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { giveConsent } from "../support/care-fixtures";
import { households, people, sessions, signups } from "../../models/db/schema";
import { signUp } from "../../models/signups";
import { signUpMany, type PartyRequest, type PersonOutcome } from "../../models/signups-many";
import type { Db } from "../../models/db";
import type { Actor } from "../../models/permissions";

const postgres = backends.find((b) => b.name === "postgres");
const CARETAKERS = 48;
const PEOPLE_EACH = 6;
const CAPACITY = 100;
// Mostly one each, every fourth brings a grandchild: 48 × 6 parties ask for 360 places.
const partyOf = (i: number) => (i % 4 === 0 ? 2 : 1);

describe.runIf(postgres)("booking several people at once, in a rush, on PostgreSQL", () => {
  const t = useBackend(postgres!, { beforeAll, afterAll }, { poolSize: CARETAKERS });
  let stationId = 0;

  beforeAll(async () => {
    stationId = (await ensureStation(t.db)).id;
  });

  /** A volunteer with two consenting households of `PEOPLE_EACH / 2` people each. */
  async function caretakerWithHouseholds(n: number): Promise<{ actor: Actor; parties: PartyRequest[] }> {
    const actor = await makeActor(t.db, stationId, ["volunteer"], `会员${n}`);
    const parties: PartyRequest[] = [];
    for (const h of [0, 1]) {
      const [household] = await t.db
        .insert(households)
        .values({ stationId, label: `${n} 号会员的第 ${h + 1} 户`, caretakerId: actor.personId })
        .returning({ id: households.id });
      await giveConsent(t.db, stationId, household!.id, actor.personId);
      const rows = await t.db
        .insert(people)
        .values(Array.from({ length: PEOPLE_EACH / 2 }, (_, i) => ({ stationId, fullName: `联系户${n}-${h}-${i}`, householdId: household!.id })))
        .returning({ id: people.id });
      rows.forEach((r, i) => parties.push({ personId: r.id, partySize: partyOf(h * 3 + i) }));
    }
    return { actor, parties };
  }

  /** All clients released at once (each had its database connection ready). */
  const together = <T>(jobs: (() => Promise<T>)[]) => Promise.allSettled(jobs.map((job) => job()));

  let clients: { actor: Actor; parties: PartyRequest[] }[] = [];

  it(`${CARETAKERS} caretakers × ${PEOPLE_EACH} people at once onto ${CAPACITY} places: exactly the capacity confirmed, the rest waitlisted, no deadlock`, async () => {
    clients = [];
    for (let n = 0; n < CARETAKERS; n++) clients.push(await caretakerWithHouseholds(n));
    const { sessionId } = await makeSession(t.db, stationId, { capacity: CAPACITY, title: "太极拳" });
    const started = Date.now();
    const results = await together(
      clients.map(
        ({ actor, parties }) =>
          () =>
            signUpMany(t.db, { stationId, actor }, sessionId, parties),
      ),
    );
    const elapsed = Date.now() - started;
    const failures = results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason));
    expect(failures).toEqual([]);
    const outcomes = results.flatMap((r) => (r as PromiseFulfilledResult<PersonOutcome[]>).value);
    expect(outcomes).toHaveLength(CARETAKERS * PEOPLE_EACH);
    // Nobody refused: no deadlock (40P01), no lock timeout, no "busy".
    expect(outcomes.filter((o) => o.status === "refused").map((o) => (o.status === "refused" ? o.error.code : ""))).toEqual([]);
    // Each caretaker's answer is in the order she gave, one per person.
    for (const [i, r] of results.entries())
      expect((r as PromiseFulfilledResult<PersonOutcome[]>).value.map((o) => o.personId)).toEqual(clients[i]!.parties.map((p) => p.personId));

    const confirmed = outcomes.filter((o) => o.status === "confirmed").reduce((sum, o) => sum + o.partySize, 0);
    expect(confirmed).toBe(CAPACITY);
    expect(await confirmedPeople(t.db, sessionId)).toBe(CAPACITY);
    const [session] = await t.db.select().from(sessions).where(eq(sessions.id, sessionId));
    expect(session!.taken).toBe(CAPACITY);
    const waiting = outcomes.filter((o) => o.status === "waitlisted");
    expect(session!.waitlistedParties).toBe(waiting.length);
    expect(waiting.length).toBe(CARETAKERS * PEOPLE_EACH - outcomes.filter((o) => o.status === "confirmed").length);
    // The positions told are 1…n, each once.
    expect(waiting.map((o) => (o.status === "waitlisted" ? o.signup.waitlistPosition : 0)).sort((a, b) => a! - b!)).toEqual(
      waiting.map((_, i) => i + 1),
    );
    console.info(`[figures] ${CARETAKERS} clients × ${PEOPLE_EACH} people onto ${CAPACITY} places: ${elapsed} ms`);
  });

  /** The check-then-insert the model must not be: count the confirmed people, then insert, person by person. */
  async function naiveSignUpMany(db: Db, sessionId: number, parties: PartyRequest[], seqBase: number) {
    for (const [i, { personId, partySize }] of parties.entries()) {
      const confirmed = await confirmedPeople(db, sessionId);
      const status = confirmed + partySize <= CAPACITY ? "confirmed" : "waitlisted";
      await db.insert(signups).values({ stationId, sessionId, personId, partySize, status, seq: seqBase + i });
    }
  }

  it("negative control: a naive check-then-insert under the same rush overbooks, and the count above would see it", async () => {
    const { sessionId } = await makeSession(t.db, stationId, { capacity: CAPACITY, daysAhead: 5 });
    await together(
      clients.map(
        ({ parties }, n) =>
          () =>
            naiveSignUpMany(t.db, sessionId, parties, n * PEOPLE_EACH + 1),
      ),
    );
    expect(await confirmedPeople(t.db, sessionId)).toBeGreaterThan(CAPACITY);
  });

  /** Two sessions at the same hour: one person can be confirmed into only one of them (the ledger, ADR 15). */
  async function twinSessions(daysAhead: number) {
    const a = await makeSession(t.db, stationId, { capacity: 1000, daysAhead, title: "太极拳" });
    const b = await makeSession(t.db, stationId, { capacity: 1000, daysAhead, title: "健身操" });
    return [a.sessionId, b.sessionId] as const;
  }

  it("the same family booked onto two sessions at one hour in opposite orders, 24 pairs at once: each person gets one place, no deadlock", async () => {
    const coordinator = await makeActor(t.db, stationId, ["coordinator"]);
    const other = await makeActor(t.db, stationId, ["coordinator"]);
    const [a, b] = await twinSessions(7);
    const families = clients.slice(0, 24).map((c) => c.parties.map((p) => ({ ...p, partySize: 1 })));
    const results = await together(
      families.flatMap((family) => [
        () => signUpMany(t.db, { stationId, actor: coordinator }, a, family),
        () => signUpMany(t.db, { stationId, actor: other }, b, [...family].reverse()),
      ]),
    );
    expect(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    const outcomes = results.flatMap((r) => (r as PromiseFulfilledResult<PersonOutcome[]>).value);
    // Every refusal is the ledger's "elsewhere then", never busy or a deadlock.
    expect(new Set(outcomes.filter((o) => o.status === "refused").map((o) => (o.status === "refused" ? o.error.code : "")))).toEqual(
      new Set(["person_conflict"]),
    );
    for (const personId of families.flat().map((p) => p.personId))
      expect(outcomes.filter((o) => o.personId === personId && o.status === "confirmed")).toHaveLength(1);
  });

  it("negative control: the one-transaction design would hold every booking at the station until it commits", async () => {
    const coordinator = await makeActor(t.db, stationId, ["coordinator"]);
    const [a, b] = await twinSessions(8);
    const [p1, p2] = await makePeople(t.db, stationId, 2, "整站对照");
    // A caretaker's several signups in one transaction, paused between two of its statements
    // (a round trip, a slow phone): a confirmed place bumps the station's calendar version
    // (ADR 14), whose row stays locked until the commit.
    let resume!: () => void;
    const paused = new Promise<void>((resolve) => (resume = resolve));
    let firstDone!: () => void;
    const firstTaken = new Promise<void>((resolve) => (firstDone = resolve));
    const held = t.db.transaction(async (tx) => {
      await signUp(tx, { stationId, actor: coordinator }, { sessionId: a, personId: p1!, partySize: 1 });
      firstDone();
      await paused;
    });
    await firstTaken;
    // Someone else booking another session of the station meanwhile: it cannot finish.
    const started = Date.now();
    const other = signUp(t.db, { stationId, actor: coordinator }, { sessionId: b, personId: p2!, partySize: 1 });
    const early = await Promise.race([other.then(() => "done"), new Promise((r) => setTimeout(() => r("waiting"), 1000))]);
    expect(early).toBe("waiting");
    resume();
    await held;
    expect((await other).status).toBe("confirmed");
    console.info(`[figures] a booking behind an open multi-signup transaction waited ${Date.now() - started} ms`);
  });
});
