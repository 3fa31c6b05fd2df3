import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { drawAttendees, Lcg, stationWithActivities } from "../support/random-world";
import { makeActor } from "../support/signup-fixtures";
import { monthlyReport } from "../../models/reports/monthly";
import { yearTrend } from "../../models/reports/trend";
import { insertServiceLines } from "../../models/desk/service-lines";
import { manualHours, people, serviceLines, sessions, signups, visits } from "../../models/db/schema";
import { InvalidReportPeriod } from "../../models/desk/errors";
import type { Db } from "../../models/db";

/**
 * The figures against an independent computation: random raw rows go in as plain inserts,
 * then the test reads them back and computes every figure in JavaScript (luxon for the
 * station's local month), not with the report's SQL.
 */
const ZONE = "America/Los_Angeles";
const NOW = new Date("2026-12-04T12:00:00Z");

async function buildWorld(db: Db) {
  const random = new Lcg(7);
  const { stationId, acts } = await stationWithActivities(
    db,
    { slug: "report-la", nameZh: "报表站", nameEn: "Report station", timeZone: ZONE },
    { categories: 4, startDate: "2026-09-01" },
  );
  const folks = await db
    .insert(people)
    .values(
      Array.from({ length: 40 }, (_, i) => ({
        stationId,
        fullName: `居民${i}`,
        birthYear: i % 9 === 0 ? null : random.pick([1940, 1946, 1947, 1956, 1957, 1966, 1967, 1980]),
      })),
    )
    .returning({ id: people.id });
  // Sessions around the month boundaries, some cancelled; several start late in the evening
  // local time, where the UTC date is already the next day.
  const sessionRows = Array.from({ length: 60 }, (_, i) => {
    const startsAt = new Date(Date.UTC(2026, 8, 26) + random.int(0, 42 * 24) * 3600_000);
    return {
      stationId,
      activityId: random.pick(acts).id,
      occurrenceKey: `k${i}`,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 3600_000),
      capacity: random.int(5, 20),
      status: random.next() < 0.12 ? ("cancelled" as const) : ("scheduled" as const),
    };
  });
  // Two on the edges of October in Los Angeles (07:00 UTC is midnight PDT).
  sessionRows.push(
    {
      ...sessionRows[0]!,
      occurrenceKey: "edge-a",
      startsAt: new Date("2026-10-01T06:59:00Z"),
      endsAt: new Date("2026-10-01T07:59:00Z"),
      status: "scheduled",
    },
    {
      ...sessionRows[0]!,
      occurrenceKey: "edge-b",
      startsAt: new Date("2026-11-01T06:30:00Z"),
      endsAt: new Date("2026-11-01T07:30:00Z"),
      status: "scheduled",
    },
  );
  const made = await db.insert(sessions).values(sessionRows).returning({ id: sessions.id, status: sessions.status });
  const signupRows: (typeof signups.$inferInsert)[] = [];
  for (const s of made) {
    for (const { personId, seq } of drawAttendees(random, folks, 0, 8)) {
      const partySize = random.int(1, 3);
      const status = random.pick(["confirmed", "confirmed", "confirmed", "waitlisted", "cancelled"] as const);
      const attendance =
        status === "confirmed" && s.status === "scheduled"
          ? random.pick([null, "attended", "attended", "no_show", "no_show_excused"] as const)
          : null;
      signupRows.push({
        stationId,
        sessionId: s.id,
        personId,
        partySize,
        status,
        seq,
        walkIn: status === "confirmed" && random.next() < 0.15,
        attendance,
        attendedCount: attendance === "attended" ? random.int(1, partySize) : null,
        attendanceReason: attendance === "no_show_excused" ? "请假" : null,
        attendanceAt: attendance ? NOW : null,
      });
    }
  }
  await db.insert(signups).values(signupRows);
  const lines = await insertServiceLines(db, stationId);
  await db.update(serviceLines).set({ archivedAt: NOW }).where(eq(serviceLines.id, lines[4]!));
  const visitRows = Array.from({ length: 400 }, () => {
    const day = DateTime.fromISO("2026-09-28", { zone: "utc" }).plus({ days: random.int(0, 37) });
    return {
      stationId,
      serviceLineId: random.pick(lines),
      localDay: day.toISODate()!,
      count: random.next() < 0.9 ? 1 : random.int(2, 6),
      personId: random.next() < 0.4 ? random.pick(folks).id : null,
      at: day.toJSDate(),
    };
  });
  await db.insert(visits).values(visitRows);
  const volunteer = await makeActor(db, stationId, ["volunteer"]);
  const doctor = await makeActor(db, stationId, ["doctor"]);
  await db.insert(manualHours).values([
    { stationId, personId: volunteer.personId, workDate: "2026-10-01", minutes: 90 },
    { stationId, personId: volunteer.personId, workDate: "2026-10-31", minutes: 30 },
    { stationId, personId: volunteer.personId, workDate: "2026-11-01", minutes: 45 },
    { stationId, personId: doctor.personId, workDate: "2026-10-15", minutes: 240 },
  ]);
  return stationId;
}

/** Every figure, from the raw rows, in JavaScript. */
async function independent(db: Db, stationId: number, month: string) {
  const allSessions = await db.select().from(sessions).where(eq(sessions.stationId, stationId));
  const allSignups = await db.select().from(signups).where(eq(signups.stationId, stationId));
  const allVisits = await db.select().from(visits).where(eq(visits.stationId, stationId));
  const allPeople = await db.select().from(people).where(eq(people.stationId, stationId));
  const monthOf = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).toFormat("yyyy-MM");
  const byId = new Map(allSessions.map((s) => [s.id, s]));
  const inMonth = allSessions.filter((s) => monthOf(s.startsAt) === month);
  const held = inMonth.filter((s) => s.status === "scheduled" && s.startsAt < NOW);
  const heldIds = new Set(held.map((s) => s.id));
  const heldSignups = allSignups.filter((g) => heldIds.has(g.sessionId) && g.status === "confirmed");
  const booked = heldSignups.filter((g) => !g.walkIn);
  const noShows = heldSignups.filter((g) => g.attendance === "no_show").length;
  const servedIn = (m: string) => {
    const set = new Set<number>();
    for (const g of allSignups) if (g.attendance === "attended" && monthOf(byId.get(g.sessionId)!.startsAt) === m) set.add(g.personId);
    for (const v of allVisits) if (v.personId && v.localDay.startsWith(m)) set.add(v.personId);
    return set;
  };
  const served = servedIn(month);
  const before = new Set<number>();
  for (const g of allSignups) if (g.attendance === "attended" && monthOf(byId.get(g.sessionId)!.startsAt) < month) before.add(g.personId);
  for (const v of allVisits) if (v.personId && v.localDay.slice(0, 7) < month) before.add(v.personId);
  const bands = { under60: 0, "60to69": 0, "70to79": 0, "80plus": 0, unknown: 0 };
  for (const id of served) {
    const by = allPeople.find((p) => p.id === id)!.birthYear;
    const age = by === null ? null : Number(month.slice(0, 4)) - by;
    bands[age === null ? "unknown" : age < 60 ? "under60" : age < 70 ? "60to69" : age < 80 ? "70to79" : "80plus"]++;
  }
  const monthVisits = allVisits.filter((v) => v.localDay.startsWith(month));
  const perLine = new Map<number, number>();
  for (const v of monthVisits) perLine.set(v.serviceLineId, (perLine.get(v.serviceLineId) ?? 0) + v.count);
  return {
    held: held.length,
    cancelled: inMonth.filter((s) => s.status === "cancelled").length,
    places: held.reduce((t, s) => t + s.capacity, 0),
    booked: booked.reduce((t, g) => t + g.partySize, 0),
    attended: heldSignups.reduce((t, g) => t + (g.attendedCount ?? 0), 0),
    noShows,
    noShowsExcused: heldSignups.filter((g) => g.attendance === "no_show_excused").length,
    noShowRate: booked.length ? noShows / booked.length : null,
    visitsTotal: monthVisits.reduce((t, v) => t + v.count, 0),
    perLine,
    residentsServed: served.size,
    newResidents: [...served].filter((id) => !before.has(id)).length,
    ageBands: bands,
  };
}

for (const backend of backends) {
  describe(`monthly figures on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;

    beforeAll(async () => {
      stationId = await buildWorld(t.db);
    });

    for (const month of ["2026-09", "2026-10", "2026-11"]) {
      it(`matches an independent computation from the raw rows for ${month} (station in ${ZONE})`, async () => {
        const report = await monthlyReport(t.db, stationId, month, NOW);
        const expected = await independent(t.db, stationId, month);
        expect(report).toMatchObject({
          month,
          complete: true,
          sessions: { held: expected.held, cancelled: expected.cancelled },
          places: expected.places,
          booked: expected.booked,
          attended: expected.attended,
          noShows: expected.noShows,
          noShowsExcused: expected.noShowsExcused,
          visitsTotal: expected.visitsTotal,
          residentsServed: expected.residentsServed,
          newResidents: expected.newResidents,
          ageBands: expected.ageBands,
        });
        expect(report.noShowRate).toBeCloseTo(expected.noShowRate ?? NaN, 10);
        for (const line of report.visits) expect(line.count).toBe(expected.perLine.get(line.serviceLineId) ?? 0);
        expect(report.visitsPerDay.reduce((t, d) => t + d.count, 0)).toBe(expected.visitsTotal);
        expect(report.byCategory.reduce((t, c) => t + c.held, 0)).toBe(expected.held);
        // Sanity of the world itself: the month really has figures to compare.
        expect(expected.held).toBeGreaterThan(3);
        expect(expected.visitsTotal).toBeGreaterThan(10);
      });
    }

    it("counts sessions by the station's local month, not UTC's", async () => {
      const all = await t.db.select().from(sessions).where(eq(sessions.stationId, stationId));
      const utcHeld = (month: string) => all.filter((s) => s.status === "scheduled" && s.startsAt.toISOString().startsWith(month)).length;
      // 2026-10-01T06:59Z is 30 September in LA: a UTC grouping would put it in October.
      const edge = all.find((s) => s.occurrenceKey === "edge-a")!;
      const sep = await monthlyReport(t.db, stationId, "2026-09", NOW);
      const withoutEdge = await (async () => {
        await t.db.update(sessions).set({ status: "cancelled" }).where(eq(sessions.id, edge.id));
        try {
          return await monthlyReport(t.db, stationId, "2026-09", NOW);
        } finally {
          await t.db.update(sessions).set({ status: "scheduled" }).where(eq(sessions.id, edge.id));
        }
      })();
      expect(sep.sessions.held - withoutEdge.sessions.held).toBe(1);
      expect(sep.sessions.held).not.toBe(utcHeld("2026-09"));
      const oct = await monthlyReport(t.db, stationId, "2026-10", NOW);
      const nov = await monthlyReport(t.db, stationId, "2026-11", NOW);
      expect(oct.visitsPerDay).toHaveLength(31);
      expect(nov.visitsPerDay).toHaveLength(30);
      expect(oct.visitsPerDay[0]!.day).toBe("2026-10-01");
    });

    it("splits volunteer and doctor minutes, and counts no consultations where none were booked", async () => {
      const oct = await monthlyReport(t.db, stationId, "2026-10", NOW);
      expect(oct).toMatchObject({ volunteerMinutes: 120, doctorMinutes: 240, consultations: { booked: 0, attended: 0, noShows: 0, byKind: [] } });
    });

    it("names a removed service line only when it has visits that month", async () => {
      const oct = await monthlyReport(t.db, stationId, "2026-10", NOW);
      expect(oct.visits.filter((l) => l.archived)).toHaveLength(1);
      const empty = await monthlyReport(t.db, stationId, "2025-01", NOW);
      expect(empty.visits.some((l) => l.archived)).toBe(false);
    });

    it("answers a month with no data with zeros, and refuses malformed and future months", async () => {
      const empty = await monthlyReport(t.db, stationId, "2025-01", NOW);
      expect(empty).toMatchObject({
        sessions: { held: 0, cancelled: 0 },
        booked: 0,
        attended: 0,
        visitsTotal: 0,
        residentsServed: 0,
        noShowRate: null,
      });
      expect(empty.visitsPerDay.every((d) => d.count === 0)).toBe(true);
      expect((await monthlyReport(t.db, stationId, "2026-12", NOW)).complete).toBe(false);
      for (const bad of ["2026-13", "2026-00", "2026-1", "26-10", "abc", 202610, undefined, "1999-12"])
        await expect(monthlyReport(t.db, stationId, bad, NOW)).rejects.toMatchObject({ code: "report_period_invalid", params: { reason: "format" } });
      await expect(monthlyReport(t.db, stationId, "2027-01", NOW)).rejects.toMatchObject({ params: { reason: "future" } });
      await expect(monthlyReport(t.db, stationId, "2027-01", NOW)).rejects.toBeInstanceOf(InvalidReportPeriod);
    });

    it("gives the 12-month trend consistent with the independent monthly figures", async () => {
      const trend = await yearTrend(t.db, stationId, "2026", NOW);
      expect(trend.months).toHaveLength(12);
      for (const m of ["2026-09", "2026-10", "2026-11"]) {
        const expected = await independent(t.db, stationId, m);
        const row = trend.months.find((x) => x.month === m)!;
        expect(row).toMatchObject({
          reached: true,
          sessionsHeld: expected.held,
          attended: expected.attended,
          noShows: expected.noShows,
          visits: expected.visitsTotal,
          residentsServed: expected.residentsServed,
        });
      }
      expect(trend.months[0]).toMatchObject({ sessionsHeld: 0, visits: 0, noShowRate: null });
      await expect(yearTrend(t.db, stationId, "2027", NOW)).rejects.toMatchObject({ params: { reason: "future" } });
      await expect(yearTrend(t.db, stationId, "20x6", NOW)).rejects.toMatchObject({ params: { reason: "format" } });
    });
  });
}
