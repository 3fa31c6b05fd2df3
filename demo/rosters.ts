/**
 * Rosters for the demo: the station's skills, who holds them (doctors confirmed by a
 * coordinator), weekly availability, the needs of the programme (the free clinic needs 2
 * doctors and 3 blood-pressure volunteers from half an hour before; tai chi a leader; the
 * parent-child afternoon 2 childcare helpers; the lecture someone at the registration desk),
 * last month's shifts worked (so hours exist) and this fortnight's partly filled, with open
 * places left for the demo member to take. Deterministic for a given `now`; rows go in a
 * few hundred per statement, straight into the tables (no mails are queued for the past).
 */
import { and, asc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "../models/db";
import {
  activities,
  assignments,
  availability,
  categories,
  manualHours,
  people,
  personSkills,
  rosterNeeds,
  sessions,
  skills,
} from "../models/db/schema";
import { DOCTORS } from "./names";
import type { CommunityPlan } from "./population";
import { Random } from "./random";

const ROWS_PER_STATEMENT = 300;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const DEMO_SKILLS = [
  { slug: "doctor", nameZh: "医生", nameEn: "Doctor", restricted: true },
  { slug: "nurse", nameZh: "护士", nameEn: "Nurse", restricted: true },
  { slug: "blood-pressure", nameZh: "测血压", nameEn: "Blood pressure", restricted: false },
  { slug: "tai-chi-leader", nameZh: "太极拳带练", nameEn: "Tai chi leader", restricted: false },
  { slug: "first-aid", nameZh: "急救", nameEn: "First aid", restricted: false },
  { slug: "registration-desk", nameZh: "签到接待", nameEn: "Registration desk", restricted: false },
  { slug: "childcare", nameZh: "照看儿童", nameEn: "Childcare", restricted: false },
] as const;
type SkillSlug = (typeof DEMO_SKILLS)[number]["slug"];

/** The needs of each kind of activity (by category): skill, people, set-up minutes before. */
const NEEDS: Record<string, { skill: SkillSlug; headCount: number; setUp: number }[]> = {
  clinic: [
    { skill: "doctor", headCount: 2, setUp: 30 },
    { skill: "blood-pressure", headCount: 3, setUp: 30 },
  ],
  "tai-chi": [{ skill: "tai-chi-leader", headCount: 1, setUp: 0 }],
  "parent-child": [{ skill: "childcare", headCount: 2, setUp: 0 }],
  lecture: [{ skill: "registration-desk", headCount: 1, setUp: 15 }],
};

async function inChunks<T>(rows: readonly T[], run: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await run(rows.slice(i, i + ROWS_PER_STATEMENT));
}

export async function seedDemoRosters(
  db: Db,
  ctx: { stationId: number; plan: CommunityPlan; coordinatorAccountId: number; taiChiLeader: string; now: Date },
): Promise<{ assignments: number }> {
  const random = new Random(20261201);
  const { stationId, plan, now } = ctx;
  const skillRows = await db
    .insert(skills)
    .values(DEMO_SKILLS.map((s, i) => ({ stationId, ...s, sortOrder: i })))
    .returning({ id: skills.id, slug: skills.slug });
  const skill = (slug: SkillSlug) => skillRows.find((s) => s.slug === slug)!.id;

  // Members and doctors by phone (unique), in plan order.
  const phones = [...plan.members.map((m) => m.phone), ...plan.doctors.map((d) => d.phone)].filter((p): p is string => !!p);
  const idRows = await db
    .select({ id: people.id, phone: people.phone })
    .from(people)
    .where(and(eq(people.stationId, stationId), inArray(people.phone, phones)));
  const idByPhone = new Map(idRows.map((r) => [r.phone, r.id]));
  const memberIds = plan.members.map((m) => idByPhone.get(m.phone)!);
  const doctorIds = plan.doctors.map((d) => idByPhone.get(d.phone)!);

  // ---- who holds which skill
  const held: (typeof personSkills.$inferInsert)[] = [];
  const confirmed = { confirmedAt: new Date(now.getTime() - 60 * DAY), confirmedByAccountId: ctx.coordinatorAccountId };
  const give = (personId: number, slug: SkillSlug, extra: Partial<typeof personSkills.$inferInsert> = {}) =>
    held.push({ personId, skillId: skill(slug), ...extra });
  DOCTORS.forEach((d, i) => {
    // The nurse among them is rostered as a nurse; the others as doctors, with their specialty.
    if (d.speciality === "护理") give(doctorIds[i]!, "nurse", { specialty: "社区护理", ...confirmed });
    else give(doctorIds[i]!, "doctor", { specialty: d.speciality, ...confirmed });
  });
  const byGroup = { health: 0, culture: 0, care: 0, outreach: 0 };
  plan.members.forEach((m, i) => {
    const id = memberIds[i]!;
    const n = byGroup[m.group]++;
    if (i === 0) {
      // The demo member (林秀珍): measures blood pressure, greets at the desk, knows first aid.
      give(id, "blood-pressure");
      give(id, "registration-desk");
      give(id, "first-aid");
      return;
    }
    if (m.fullName === ctx.taiChiLeader) give(id, "tai-chi-leader");
    switch (m.group) {
      case "health":
        give(id, "blood-pressure");
        if (n % 3 === 0) give(id, "first-aid");
        // Two retired nurses confirmed; a third waits for the coordinator (skills admin shows her).
        if (n === 5 || n === 11) give(id, "nurse", { specialty: "退休护士", ...confirmed });
        if (n === 17) give(id, "nurse", { specialty: "退休护士" });
        break;
      case "culture":
        if (n < 4 && m.fullName !== ctx.taiChiLeader) give(id, "tai-chi-leader");
        if (n % 4 === 1) give(id, "childcare");
        break;
      case "care":
        if (n % 5 === 0) give(id, "childcare");
        if (n % 3 === 0) give(id, "registration-desk");
        break;
      case "outreach":
        give(id, "registration-desk");
        break;
    }
  });
  await inChunks(held, (chunk) => db.insert(personSkills).values(chunk));

  // ---- weekly availability (station time; 1 = Monday)
  const slots: (typeof availability.$inferInsert)[] = [];
  plan.members.forEach((m, i) => {
    const personId = memberIds[i]!;
    if (m.group === "health")
      slots.push({ personId, weekday: 6, startTime: "07:30", endTime: "12:00" }, { personId, weekday: 3, startTime: "14:00", endTime: "18:00" });
    else if (m.group === "culture")
      slots.push(
        { personId, weekday: 1 + (i % 5), startTime: "07:00", endTime: "09:00" },
        { personId, weekday: 7, startTime: "14:00", endTime: "17:30" },
      );
    else slots.push({ personId, weekday: 1 + random.int(0, 4), startTime: "14:00", endTime: "17:30" });
  });
  doctorIds.forEach((personId, i) =>
    slots.push(
      { personId, weekday: 6, startTime: "07:30", endTime: "12:30" },
      { personId, weekday: 1 + (i % 5), startTime: "08:00", endTime: "17:00" },
    ),
  );
  await inChunks(slots, (chunk) => db.insert(availability).values(chunk));

  // ---- needs on each series, by its category
  const series = await db
    .select({ id: activities.id, kind: categories.slug })
    .from(activities)
    .innerJoin(categories, eq(categories.id, activities.categoryId))
    .where(eq(activities.stationId, stationId))
    .orderBy(asc(activities.id));
  const needRows = await db
    .insert(rosterNeeds)
    .values(
      series.flatMap((a) =>
        (NEEDS[a.kind] ?? []).map((n) => ({
          stationId,
          activityId: a.id,
          skillId: skill(n.skill),
          headCount: n.headCount,
          startOffsetMinutes: n.setUp,
        })),
      ),
    )
    .returning({
      id: rosterNeeds.id,
      activityId: rosterNeeds.activityId,
      skillId: rosterNeeds.skillId,
      headCount: rosterNeeds.headCount,
      setUp: rosterNeeds.startOffsetMinutes,
    });

  // ---- shifts: last month worked, the next fortnight partly filled
  const holders = new Map<number, number[]>();
  for (const h of held) {
    const restrictedUnconfirmed = (h.skillId === skill("doctor") || h.skillId === skill("nurse")) && !h.confirmedAt;
    if (restrictedUnconfirmed) continue;
    holders.set(h.skillId, [...(holders.get(h.skillId) ?? []), h.personId]);
  }
  const due = await db
    .select({ id: sessions.id, activityId: sessions.activityId, startsAt: sessions.startsAt, endsAt: sessions.endsAt })
    .from(sessions)
    .where(
      and(
        eq(sessions.stationId, stationId),
        eq(sessions.status, "scheduled"),
        gte(sessions.startsAt, new Date(now.getTime() - 35 * DAY)),
        lt(sessions.startsAt, new Date(now.getTime() + 14 * DAY)),
      ),
    )
    .orderBy(asc(sessions.startsAt), asc(sessions.id));
  // Who is already somewhere (the bookings seeded first): the commitments ledger refuses a shift on top.
  const busy = new Map<number, [number, number][]>();
  const booked = await db.execute<{ person_id: number; lo: string | Date; hi: string | Date }>(
    sql`SELECT person_id, lower(during) AS lo, upper(during) AS hi FROM commitments WHERE station_id = ${stationId}`,
  );
  for (const c of booked.rows)
    busy.set(Number(c.person_id), [...(busy.get(Number(c.person_id)) ?? []), [new Date(c.lo).getTime(), new Date(c.hi).getTime()]]);
  const free = (personId: number, lo: number, hi: number) => !(busy.get(personId) ?? []).some(([a, b]) => a < hi && lo < b);
  const demoMember = memberIds[0]!;
  const rows: (typeof assignments.$inferInsert)[] = [];
  let leftOpenForMember = false;
  for (const session of due) {
    const past = session.endsAt < now;
    for (const need of needRows.filter((n) => n.activityId === session.activityId)) {
      const lo = session.startsAt.getTime() - need.setUp * MINUTE;
      const hi = session.endsAt.getTime();
      const candidates = holders.get(need.skillId) ?? [];
      // The future is not fully rostered: the grid shows gaps, the volunteers open shifts.
      let places = past ? need.headCount : Math.max(0, need.headCount - (random.chance(0.5) ? 1 : 0));
      if (!past && need.skillId === skill("blood-pressure") && !leftOpenForMember) {
        places = need.headCount - 1;
        leftOpenForMember = true;
      }
      const chosen: number[] = [];
      // The demo people work their share: the member at the desk and the clinic; the two family
      // doctors of the follow-ups (./consultations.ts) at the clinic.
      const preferred = [demoMember, doctorIds[0]!, doctorIds[1]!].filter(
        (p) => candidates.includes(p) && (past || p !== demoMember || need.skillId !== skill("blood-pressure")),
      );
      for (const p of preferred) if (chosen.length < places && free(p, lo, hi)) chosen.push(p);
      for (let tries = 0; chosen.length < places && tries < 50 && candidates.length; tries++) {
        const p = candidates[random.int(0, candidates.length - 1)]!;
        if (!chosen.includes(p) && free(p, lo, hi)) chosen.push(p);
      }
      chosen.forEach((personId, k) => {
        busy.set(personId, [...(busy.get(personId) ?? []), [lo, hi]]);
        const roll = random.float();
        rows.push({
          stationId,
          needId: need.id,
          sessionId: session.id,
          personId,
          during: sql`tstzrange(${new Date(lo).toISOString()}::timestamptz, ${new Date(hi).toISOString()}::timestamptz, '[)')` as unknown as string,
          // Upcoming: mostly confirmed; the last one placed is sometimes still a proposal.
          status: !past && k === chosen.length - 1 && roll < 0.4 ? "proposed" : "confirmed",
          attendance: past ? (roll < 0.92 ? "attended" : roll < 0.96 ? "no_show_excused" : "no_show") : null,
          assignedByAccountId: ctx.coordinatorAccountId,
          createdAt: new Date(session.startsAt.getTime() - 7 * DAY),
          updatedAt: new Date(session.startsAt.getTime() - 7 * DAY),
        });
      });
    }
  }
  await inChunks(rows, (chunk) => db.insert(assignments).values(chunk));

  // Hours a coordinator entered by hand: the demo member's home visits last month.
  const lastMonth = new Date(now.getTime() - 20 * DAY).toISOString().slice(0, 10);
  await db.insert(manualHours).values([
    { stationId, personId: demoMember, workDate: lastMonth, minutes: 90, note: "入户探访", createdByAccountId: ctx.coordinatorAccountId },
    { stationId, personId: memberIds[1]!, workDate: lastMonth, minutes: 120, note: "健康知识宣传", createdByAccountId: ctx.coordinatorAccountId },
  ]);
  return { assignments: rows.length };
}
