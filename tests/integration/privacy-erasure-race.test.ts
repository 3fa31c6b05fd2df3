// Erasure under a rush (ADR 23, PostgreSQL only: PGlite is one connection). A booked person is
// erased while sixty others try for a full session: the erasure takes the session's lock as
// signUp does, waits its turn, frees the place, and the first one waiting gets it. The counters
// agree with the rows afterwards. Negative control: the same release done by read-then-write
// without the lock loses the waitlist joins that land in between.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { signUp } from "../../models/signups";
import { erasePerson } from "../../models/privacy/erasure";
import { sessions, signups } from "../../models/db/schema";
import type { Db } from "../../models/db";
import type { Actor } from "../../models/permissions";

const postgres = backends.find((b) => b.name === "postgres");
const CAPACITY = 20;
const RUSH = 60;
const CLIENTS = 20;

async function withClients(clients: number, jobs: (() => Promise<unknown>)[], started: { n: number }) {
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < jobs.length) {
        const i = next++;
        started.n++;
        await jobs[i]!().catch(() => undefined);
      }
    }),
  );
}

const until = async (check: () => boolean) => {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 2));
};

describe.runIf(postgres)("erasure under a rush on PostgreSQL", () => {
  const t = useBackend(postgres!, { beforeAll, afterAll }, { poolSize: CLIENTS + 4 });
  let stationId = 0;
  let coordinator: Actor;

  /** A full session: the victim and 19 others confirmed, three waiting; and sixty more to come. */
  async function fullSession(label: string) {
    const { sessionId } = await makeSession(t.db, stationId, { capacity: CAPACITY, maxPartySize: 1, daysAhead: 3, title: label });
    const [victim, ...rest] = await makePeople(t.db, stationId, CAPACITY + 3 + RUSH, label);
    const ctx = { stationId, actor: coordinator };
    await signUp(t.db, ctx, { sessionId, personId: victim!, partySize: 1 });
    const firstWaiting = rest[CAPACITY - 1]!;
    for (const personId of rest.slice(0, CAPACITY + 2)) await signUp(t.db, ctx, { sessionId, personId, partySize: 1 });
    return { sessionId, victim: victim!, firstWaiting, rush: rest.slice(CAPACITY + 2) };
  }

  async function state(db: Db, sessionId: number) {
    const [session] = await db
      .select({ taken: sessions.taken, waitlisted: sessions.waitlistedParties })
      .from(sessions)
      .where(eq(sessions.id, sessionId));
    const rows = await db
      .select({ personId: signups.personId, status: signups.status, seq: signups.seq })
      .from(signups)
      .where(eq(signups.sessionId, sessionId))
      .orderBy(asc(signups.seq));
    return {
      session: session!,
      confirmed: rows.filter((r) => r.status === "confirmed"),
      waiting: rows.filter((r) => r.status === "waitlisted"),
      rows,
    };
  }

  beforeAll(async () => {
    stationId = (await ensureStation(t.db)).id;
    coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员");
  });

  it("the erasure waits for the rush's locks, frees the place, and the first one waiting gets it; exactly capacity", async () => {
    const { sessionId, victim, firstWaiting, rush } = await fullSession("抢报名");
    const started = { n: 0 };
    const jobs = rush.map((personId) => () => signUp(t.db, { stationId, actor: coordinator }, { sessionId, personId, partySize: 1 }));
    const crowd = withClients(CLIENTS, jobs, started);
    await until(() => started.n >= CLIENTS);
    const result = await erasePerson(t.db, { stationId, actor: coordinator }, victim, { via: "phone" });
    // The rush was still on when the erasure committed (measured: about 40 of 60 begun).
    const begunByThen = started.n;
    await crowd;
    expect(begunByThen).toBeLessThan(RUSH);
    expect(result.removed.bookingsCancelled).toBe(1);
    expect(result.promoted).toBe(1);

    const after = await state(t.db, sessionId);
    expect(after.session.taken).toBe(CAPACITY);
    expect(after.confirmed).toHaveLength(CAPACITY);
    expect(after.session.waitlisted).toBe(after.waiting.length);
    expect(after.waiting.length).toBe(2 + RUSH);
    expect(after.rows.find((r) => r.personId === victim)!.status).toBe("cancelled");
    // The first one waiting was promoted; everyone still waiting came after them.
    const promoted = after.rows.find((r) => r.personId === firstWaiting)!;
    expect(promoted.status).toBe("confirmed");
    expect(after.waiting.every((r) => r.seq > promoted.seq)).toBe(true);
  });

  it("negative control: releasing the place by read-then-write, without the lock, leaves counters that disagree with the rows", async () => {
    const { sessionId, victim, firstWaiting, rush } = await fullSession("无锁删除");
    const started = { n: 0 };
    const jobs = rush.map((personId) => () => signUp(t.db, { stationId, actor: coordinator }, { sessionId, personId, partySize: 1 }));
    const crowd = withClients(CLIENTS, jobs, started);
    await until(() => started.n >= CLIENTS);
    // What a release that does not take the session's lock would do.
    const [read] = await t.db
      .select({ taken: sessions.taken, waitlisted: sessions.waitlistedParties })
      .from(sessions)
      .where(eq(sessions.id, sessionId));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await t.db
      .update(signups)
      .set({ status: "cancelled" })
      .where(and(eq(signups.sessionId, sessionId), eq(signups.personId, victim)));
    await t.db
      .update(signups)
      .set({ status: "confirmed" })
      .where(and(eq(signups.sessionId, sessionId), eq(signups.personId, firstWaiting)));
    await t.db
      .update(sessions)
      .set({ taken: read!.taken, waitlistedParties: read!.waitlisted - 1 })
      .where(eq(sessions.id, sessionId));
    await crowd;
    const after = await state(t.db, sessionId);
    expect(after.confirmed).toHaveLength(CAPACITY);
    // The joins that landed between the read and the write are lost from the counter.
    expect(after.session.waitlisted).toBeLessThan(after.waiting.length);
  });
});
