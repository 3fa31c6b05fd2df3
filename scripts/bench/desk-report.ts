/**
 * The front desk's figures: the month report over a year of data at the seed's scale
 * (≈ 70,000 drop-in visits, ≈ 15,000 signups) on PGlite and on PostgreSQL, beside a trivial
 * query on the same connection in the same run (the floor), and the tally taking 20 taps a
 * second from one client, every tap counted in the database afterwards.
 *
 *   npm run bench -- --only=report
 *
 * PostgreSQL is used when BENCH_DATABASE_URL, TEST_DATABASE_URL or DATABASE_URL names a
 * server (a database is made and dropped again); PGlite runs in memory.
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db } from "../../models/db";
import { accounts, manualHours, people, sessions, signups, stations, visits } from "../../models/db/schema";
import { DEFAULT_CATEGORIES } from "../../models/categories";
import { insertServiceLines } from "../../models/desk/service-lines";
import { tallyVisit } from "../../models/desk/visits";
import { monthlyReport } from "../../models/reports/monthly";
import { yearTrend } from "../../models/reports/trend";
import { Random } from "../../demo/random";
import { stationWithActivities } from "../../tests/support/random-world";
import { onEachBackend, openBenchBackend, type PerBackend } from "./backend";

export const REPORT_GOAL_MS = 300;
const ZONE = "Asia/Shanghai";
const NOW = new Date("2026-12-04T04:00:00Z");
const RUNS = 30;
const TAPS_PER_SECOND = 20;
const TAP_SECONDS = 10;
const CHUNK = 2000;

export interface DeskBackendFigures {
  backend: string;
  rows: { sessions: number; signups: number; visits: number; people: number };
  seedMs: number;
  report: { median: number; p95: number };
  trend: { median: number; p95: number };
  floor: { median: number; p95: number };
  tally: { taps: number; counted: number; seconds: number; p95: number };
}

export type DeskFigures = PerBackend<DeskBackendFigures>;

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, p95: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]! };
};

async function timed(runs: number, fn: () => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return stats(times);
}

async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/** A year of a station at the seed's scale, deterministic, in bulk. */
async function seedYear(db: Db) {
  const random = new Random(20261231);
  const { stationId, acts } = await stationWithActivities(
    db,
    { slug: "bench", nameZh: "基准站", nameEn: "Bench", timeZone: ZONE },
    { categories: DEFAULT_CATEGORIES.length, startDate: "2025-12-01", capacity: 30, durationMinutes: 90 },
  );
  const personRows = Array.from({ length: 1500 }, (_, i) => ({ stationId, fullName: `居民${i}`, birthYear: random.int(1935, 1990) }));
  const personIds: number[] = [];
  await insertChunks(personRows, async (chunk) =>
    personIds.push(...(await db.insert(people).values(chunk).returning({ id: people.id })).map((r) => r.id)),
  );
  const first = DateTime.fromJSDate(NOW, { zone: ZONE }).startOf("month").minus({ months: 12 });
  const end = DateTime.fromJSDate(NOW, { zone: ZONE }).startOf("day");
  const sessionRows: (typeof sessions.$inferInsert)[] = [];
  for (let day = first; day < end; day = day.plus({ days: 1 })) {
    for (let k = 0; k < 8; k++) {
      const start = day.set({ hour: 8 + k });
      sessionRows.push({
        stationId,
        activityId: acts[k % acts.length]!.id,
        occurrenceKey: `${day.toISODate()}-${k}`,
        startsAt: start.toJSDate(),
        endsAt: start.plus({ minutes: 90 }).toJSDate(),
        capacity: 30,
        status: random.int(1, 30) === 1 ? "cancelled" : "scheduled",
      });
    }
  }
  const sessionIds: { id: number; status: string; startsAt: Date; endsAt: Date }[] = [];
  await insertChunks(sessionRows, async (chunk) =>
    sessionIds.push(
      ...(await db
        .insert(sessions)
        .values(chunk)
        .returning({ id: sessions.id, status: sessions.status, startsAt: sessions.startsAt, endsAt: sessions.endsAt })),
    ),
  );
  // Sessions come in start order: a person is free for the next one once their last one ended
  // (the commitments ledger refuses two overlapping places).
  const freeFrom = new Map<number, number>();
  const signupRows: (typeof signups.$inferInsert)[] = [];
  const perSession = Math.ceil(15_000 / sessionIds.length);
  for (const s of sessionIds) {
    const taken = new Set<number>();
    for (let seq = 1; seq <= perSession && signupRows.length < 15_000; seq++) {
      const personId = personIds[random.int(0, personIds.length - 1)]!;
      if (taken.has(personId)) continue;
      if ((freeFrom.get(personId) ?? 0) > s.startsAt.getTime()) continue;
      taken.add(personId);
      freeFrom.set(personId, s.endsAt.getTime());
      const roll = random.int(1, 100);
      const attendance = s.status !== "scheduled" ? null : roll <= 85 ? "attended" : roll <= 95 ? "no_show" : "no_show_excused";
      signupRows.push({
        stationId,
        sessionId: s.id,
        personId,
        partySize: 1,
        status: "confirmed",
        seq,
        attendance,
        attendedCount: attendance === "attended" ? 1 : null,
        attendanceReason: attendance === "no_show_excused" ? "请假" : null,
        attendanceAt: attendance ? NOW : null,
      });
    }
  }
  await insertChunks(signupRows, (chunk) => db.insert(signups).values(chunk));
  const lines = await insertServiceLines(db, stationId);
  const days = Math.round(end.diff(first, "days").days);
  const visitRows: (typeof visits.$inferInsert)[] = [];
  for (let i = 0; i < 70_000; i++) {
    const day = first.plus({ days: Math.floor((i * days) / 70_000) });
    visitRows.push({
      stationId,
      serviceLineId: lines[random.int(0, lines.length - 1)]!,
      localDay: day.toISODate()!,
      count: 1,
      personId: random.int(1, 4) === 1 ? personIds[random.int(0, personIds.length - 1)]! : null,
      at: day.set({ hour: 10 }).toJSDate(),
    });
  }
  await insertChunks(visitRows, (chunk) => db.insert(visits).values(chunk));
  await db.insert(manualHours).values(
    Array.from({ length: 400 }, (_, i) => ({
      stationId,
      personId: personIds[i]!,
      workDate: first.plus({ days: i % days }).toISODate()!,
      minutes: 60 + (i % 4) * 30,
    })),
  );
  await db.execute(sql`ANALYZE`);
  return { stationId, rows: { sessions: sessionRows.length, signups: signupRows.length, visits: visitRows.length, people: personRows.length } };
}

async function benchBackend(kind: "pglite" | "postgres", log: (m: string) => void): Promise<DeskBackendFigures> {
  const { handle, label, close } = await openBenchBackend(kind, "desk", 10);
  try {
    await handle.migrate();
    const db = handle.db;
    log(`${label}: seeding a year …`);
    const t0 = performance.now();
    const { stationId, rows } = await seedYear(db);
    const seedMs = performance.now() - t0;
    log(`  seeded ${rows.visits} visits, ${rows.signups} signups, ${rows.sessions} sessions in ${(seedMs / 1000).toFixed(1)} s`);
    const month = DateTime.fromJSDate(NOW, { zone: ZONE }).minus({ months: 1 }).toFormat("yyyy-MM");
    // Warm-up: every month once (plans, caches, JIT).
    for (let m = 1; m <= 12; m++)
      await monthlyReport(db, stationId, DateTime.fromJSDate(NOW, { zone: ZONE }).minus({ months: m }).toFormat("yyyy-MM"), NOW);
    const floor = await timed(RUNS, () => db.select({ id: stations.id }).from(stations).where(eq(stations.id, stationId)));
    const report = await timed(RUNS, () => monthlyReport(db, stationId, month, NOW));
    const trend = await timed(10, () => yearTrend(db, stationId, "2026", NOW));
    log(
      `  month report ${report.median.toFixed(1)} ms median (p95 ${report.p95.toFixed(1)}), floor ${floor.median.toFixed(2)} ms, trend ${trend.median.toFixed(1)} ms`,
    );
    // The tally: 20 taps a second from one client, each tap on its own schedule.
    const [desk] = await db.insert(people).values({ stationId, fullName: "前台" }).returning({ id: people.id });
    const [account] = await db
      .insert(accounts)
      .values({ email: "desk@bench.example", passwordHash: "-", personId: desk!.id })
      .returning({ id: accounts.id });
    const ctx = { stationId, actor: { accountId: account!.id, personId: desk!.id, roles: ["volunteer" as const] } };
    const [line] = await db
      .execute<{ id: number }>(sql`SELECT id FROM service_lines WHERE station_id = ${stationId} ORDER BY id LIMIT 1`)
      .then((r) => r.rows);
    const before = await countVisits(db, stationId);
    const taps = TAPS_PER_SECOND * TAP_SECONDS;
    const latencies: number[] = [];
    const start = performance.now();
    for (let i = 0; i < taps; i++) {
      const due = start + (i * 1000) / TAPS_PER_SECOND;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const t = performance.now();
      await tallyVisit(db, ctx, { serviceLineId: Number(line!.id) });
      latencies.push(performance.now() - t);
    }
    const seconds = (performance.now() - start) / 1000;
    const counted = (await countVisits(db, stationId)) - before;
    log(`  tally: ${taps} taps in ${seconds.toFixed(1)} s, ${counted} counted, p95 ${stats(latencies).p95.toFixed(1)} ms`);
    return { backend: label, rows, seedMs, report, trend, floor, tally: { taps, counted, seconds, p95: stats(latencies).p95 } };
  } finally {
    await close();
  }
}

async function countVisits(db: Db, stationId: number) {
  const rows = await db.execute<{ n: number }>(sql`SELECT coalesce(sum(count), 0)::int AS n FROM visits WHERE station_id = ${stationId}`);
  return Number(rows.rows[0]?.n ?? 0);
}

export function runDeskReport(log: (m: string) => void): Promise<DeskFigures> {
  return onEachBackend((kind) => benchBackend(kind, log));
}

const f1 = (v: number) => v.toFixed(1);

export function deskReportMarkdown(f: DeskFigures, machine: string): string {
  const lines = [
    "## Front desk",
    "",
    `Measured ${f.when} on ${machine}. A year of one station at the seed's scale (rows below), the month report for the last complete month`,
    `(\`monthlyReport\`, models/reports/monthly.ts) ${RUNS} times after a warm-up over all 12 months, beside the floor: a one-row primary-key`,
    `query on the same connection in the same run. Goal: the report ≤ ${REPORT_GOAL_MS} ms. The tally: ${TAPS_PER_SECOND} taps a second from one client for ${TAP_SECONDS} s`,
    "through `tallyVisit`, then the visits counted in the database.",
    `Load average as the part began: ${f.loadAtStart.toFixed(1)} (other work on the machine depresses every figure, the floor's too).`,
    "",
    "| backend | rows (visits / signups / sessions / people) | report median | report p95 | × floor | 12-month trend median | floor median | goal | taps sent / counted | tap p95 |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...f.results.map(
      (r) =>
        `| ${r.backend} | ${r.rows.visits} / ${r.rows.signups} / ${r.rows.sessions} / ${r.rows.people} | ${f1(r.report.median)} ms | ${f1(r.report.p95)} ms | ${f1(
          r.report.median / r.floor.median,
        )}× | ${f1(r.trend.median)} ms | ${r.floor.median.toFixed(2)} ms | ${r.report.median <= REPORT_GOAL_MS ? "met" : "**missed**"} | ${r.tally.taps} / ${r.tally.counted} | ${f1(r.tally.p95)} ms |`,
    ),
    ...(f.errors.length ? ["", ...f.errors.map((e) => `Failed: ${e}`)] : []),
    "",
  ];
  return lines.join("\n");
}
