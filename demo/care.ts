/**
 * The demo's care net for the call list (ADR 20): the station's phone and address for the
 * "不方便上网？" hints, and a few people of the demo member's households (林秀珍,
 * member@fuwen.example) — none of whom has email — booked on tomorrow's sessions, so her
 * 我的电话通知 and the station's call list are not empty on first start. When the programme
 * holds nothing but tai chi tomorrow (kept empty for newcomers), a one-off walk is put on for them.
 */
import { and, asc, eq, gte, isNull, lt, ne, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db } from "../models/db";
import { accounts, categories, households, people, sessions, signups, stations } from "../models/db/schema";
import { createActivity } from "../models/activities";
import { demoSessions } from "./station-rows";

const BOOKED = 4;

export async function seedDemoCare(
  db: Db,
  ctx: { stationId: number; timeZone: string; memberEmail: string; adminAccountId: number; horizonDays: number; skipPersonIds: number[]; now: Date },
): Promise<{ booked: number }> {
  await db.update(stations).set({ phone: "0598-1234567", address: "富文路 1 号 富文社区家庭健康驿站" }).where(eq(stations.id, ctx.stationId));
  const [member] = await db.select({ accountId: accounts.id, personId: accounts.personId }).from(accounts).where(eq(accounts.email, ctx.memberEmail));
  if (!member) return { booked: 0 };
  const tomorrow = DateTime.fromJSDate(ctx.now, { zone: ctx.timeZone }).plus({ days: 1 }).startOf("day");
  const sessionsTomorrow = () =>
    demoSessions(
      db,
      ctx.stationId,
      and(
        eq(sessions.status, "scheduled"),
        gte(sessions.startsAt, tomorrow.toJSDate()),
        lt(sessions.startsAt, tomorrow.plus({ days: 1 }).toJSDate()),
        ne(categories.slug, "consultation"),
      ),
    );
  let options = await sessionsTomorrow();
  // Tai chi stays empty, the newcomer's (and a caretaker's) to try first: another session with room, or a walk.
  const withRoom = (s: (typeof options)[number]) => s.kind !== "tai-chi" && s.capacity - s.taken >= BOOKED;
  let session = options.find(withRoom);
  if (!session) {
    const [exercise] = await db
      .select({ id: categories.id })
      .from(categories)
      .where(and(eq(categories.stationId, ctx.stationId), eq(categories.slug, "exercise")));
    if (!exercise) return { booked: 0 };
    await createActivity(
      db,
      { stationId: ctx.stationId, timeZone: ctx.timeZone, actorAccountId: ctx.adminAccountId, horizonDays: ctx.horizonDays, now: ctx.now },
      {
        categoryId: exercise.id,
        title: "健步走",
        description: "沿富文路慢慢走一圈，志愿者陪同，走累了随时休息。",
        location: "驿站门口集合",
        leader: "文体活动组",
        capacity: 20,
        durationMinutes: 60,
        startDate: tomorrow.toISODate()!,
        startTime: "09:30",
        rule: null,
        exdates: [],
        maxPartySize: 1,
        signupOpensDays: 7,
      },
    );
    options = await sessionsTomorrow();
    session = options.find(withRoom);
    if (!session) return { booked: 0 };
  }
  // People of her households without email, not already booked at that time (nobody is in two places at once).
  const candidates = await db
    .select({ id: people.id })
    .from(people)
    .innerJoin(households, eq(households.id, people.householdId))
    .where(
      and(
        eq(people.stationId, ctx.stationId),
        eq(households.caretakerId, member.personId),
        isNull(people.email),
        sql`NOT EXISTS (SELECT 1 FROM ${signups} sg JOIN ${sessions} s ON s.id = sg.session_id
                        WHERE sg.person_id = ${people.id} AND sg.status <> 'cancelled'
                          AND s.starts_at < ${session.endsAt.toISOString()}::timestamptz AND s.ends_at > ${session.startsAt.toISOString()}::timestamptz)`,
      ),
    )
    .orderBy(asc(people.id));
  const chosen = candidates.filter((c) => !ctx.skipPersonIds.includes(c.id)).slice(0, BOOKED);
  if (!chosen.length) return { booked: 0 };
  const bookedAt = DateTime.fromJSDate(ctx.now).minus({ days: 1 }).toJSDate();
  const target = session;
  await db.transaction(async (tx) => {
    await tx.insert(signups).values(
      chosen.map((c, i) => ({
        stationId: ctx.stationId,
        sessionId: target.id,
        personId: c.id,
        partySize: 1,
        status: "confirmed" as const,
        seq: target.seq + i + 1,
        bookedByAccountId: member.accountId,
        createdAt: bookedAt,
        confirmedAt: bookedAt,
      })),
    );
    await tx
      .update(sessions)
      .set({ taken: target.taken + chosen.length, signupSeq: target.seq + chosen.length })
      .where(eq(sessions.id, target.id));
  });
  return { booked: chosen.length };
}
