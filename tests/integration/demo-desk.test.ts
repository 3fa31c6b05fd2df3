import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { seedDemoCommunity } from "../../demo/community";
import { sessions, signups, visits } from "../../models/db/schema";
import { monthlyReport } from "../../models/reports/monthly";

const NOW = new Date("2026-12-04T06:00:00Z");

for (const backend of backends) {
  describe(`the demo's front desk on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;

    beforeAll(async () => {
      stationId = (await seedDemoCommunity(t.db, { now: NOW })).stationId;
    });

    it("has about 200 drop-in visits a day over three past months and this one, none today or later", async () => {
      const [row] = await t.db
        .select({
          days: sql<number>`count(DISTINCT ${visits.localDay})::int`,
          total: sql<number>`sum(${visits.count})::int`,
          last: sql<string>`max(${visits.localDay})::text`,
        })
        .from(visits)
        .where(eq(visits.stationId, stationId));
      const today = DateTime.fromJSDate(NOW, { zone: "Asia/Shanghai" });
      expect(row!.days).toBe(Math.round(today.startOf("day").diff(today.startOf("month").minus({ months: 3 }), "days").days));
      expect(row!.total / row!.days).toBeGreaterThan(150);
      expect(row!.total / row!.days).toBeLessThan(230);
      expect(row!.last < today.toISODate()!).toBe(true);
    });

    it("gives every confirmed booking of an ended session an attendance, and closes those sessions", async () => {
      const [missing] = await t.db
        .select({ n: sql<number>`count(*)::int` })
        .from(signups)
        .innerJoin(sessions, eq(sessions.id, signups.sessionId))
        .where(and(eq(signups.stationId, stationId), eq(signups.status, "confirmed"), lt(sessions.endsAt, NOW), isNull(signups.attendance)));
      expect(missing!.n).toBe(0);
      const [open] = await t.db
        .select({ n: sql<number>`count(*)::int` })
        .from(sessions)
        .where(and(eq(sessions.stationId, stationId), eq(sessions.status, "scheduled"), lt(sessions.endsAt, NOW), isNull(sessions.checkinClosedAt)));
      expect(open!.n).toBe(0);
      const report = await monthlyReport(t.db, stationId, "2026-11", NOW);
      expect(report.attended).toBeGreaterThan(0);
      expect(report.noShows).toBeGreaterThan(0);
      expect(report.noShowRate!).toBeLessThan(0.2);
      expect(report.visitsTotal).toBeGreaterThan(4000);
    });
  });
}
