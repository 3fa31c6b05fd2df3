/**
 * Bookings for the demo: last month's sessions were attended, and the coming lectures,
 * clinics and parent-child events are partly booked (the next free clinic busy), so the
 * attendee lists, My bookings and the waitlist have something to show. Tai chi is left
 * empty on purpose: it is where a newcomer tries signing up first.
 * Rows go in directly, a few hundred per statement, with each session's counters set to
 * match — the same state signUp would leave, without 1,000 round-trips at start-up.
 */
import { and, eq, gte, lt, ne } from "drizzle-orm";
import type { Db } from "../models/db";
import { categories, sessions, signups } from "../models/db/schema";
import { Random } from "./random";
import { demoResidents, demoSessions } from "./station-rows";

const ROWS_PER_STATEMENT = 300;
const DAY = 24 * 3600_000;

/** How full each kind of session gets, and how big its parties are. */
const FILL: Record<string, { past: number; upcoming: number; party: readonly number[] }> = {
  lecture: { past: 0.85, upcoming: 0.6, party: [1, 1, 1, 2] },
  clinic: { past: 1, upcoming: 0.75, party: [1] },
  "parent-child": { past: 1, upcoming: 0.6, party: [2, 2, 3] },
  exercise: { past: 0.7, upcoming: 0.4, party: [1, 1, 2] },
  consultation: { past: 0.75, upcoming: 0.5, party: [1] },
};

export async function seedDemoBookings(db: Db, ctx: { stationId: number; bookedByAccountId: number; skipPersonIds: number[]; now: Date }) {
  const random = new Random(20261129);
  const residents = (await demoResidents(db, ctx.stationId)).filter((id) => !ctx.skipPersonIds.includes(id));
  const due = await demoSessions(
    db,
    ctx.stationId,
    and(
      ne(categories.slug, "tai-chi"),
      gte(sessions.startsAt, new Date(ctx.now.getTime() - 31 * DAY)),
      lt(sessions.startsAt, new Date(ctx.now.getTime() + 14 * DAY)),
    ),
  );

  const rows: (typeof signups.$inferInsert)[] = [];
  const counters: { id: number; taken: number; seq: number }[] = [];
  // Nobody is booked into two sessions at once: the commitments ledger would refuse it.
  const busy = new Map<number, [number, number][]>();
  const free = (personId: number, lo: number, hi: number) => !(busy.get(personId) ?? []).some(([a, b]) => a < hi && lo < b);
  for (const session of due) {
    const fill = FILL[session.kind];
    if (!fill) continue;
    const past = session.startsAt < ctx.now;
    const target = Math.floor(session.capacity * (past ? fill.past : fill.upcoming));
    const lo = session.startsAt.getTime();
    const hi = session.endsAt.getTime();
    let taken = 0;
    let seq = 0;
    const tried = new Set<number>();
    while (taken < target && tried.size < residents.length) {
      const personId = residents[random.int(0, residents.length - 1)]!;
      if (tried.has(personId)) continue;
      tried.add(personId);
      if (!free(personId, lo, hi)) continue;
      busy.set(personId, [...(busy.get(personId) ?? []), [lo, hi]]);
      const partySize = Math.min(fill.party[random.int(0, fill.party.length - 1)]!, target - taken);
      taken += partySize;
      const bookedAt = new Date(session.startsAt.getTime() - random.int(1, 6) * DAY);
      rows.push({
        stationId: ctx.stationId,
        sessionId: session.id,
        personId,
        partySize,
        status: "confirmed",
        seq: ++seq,
        bookedByAccountId: ctx.bookedByAccountId,
        createdAt: bookedAt,
        confirmedAt: bookedAt,
      });
    }
    counters.push({ id: session.id, taken, seq });
  }
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await tx.insert(signups).values(rows.slice(i, i + ROWS_PER_STATEMENT));
    for (const c of counters) {
      await tx.update(sessions).set({ taken: c.taken, signupSeq: c.seq }).where(eq(sessions.id, c.id));
    }
  });
  return { signups: rows.length, sessions: counters.length };
}
