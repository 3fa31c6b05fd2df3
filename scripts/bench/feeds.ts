/**
 * The calendar feed bench: a station with 1,000 sessions in the feed's window, its public
 * feed built cold (the model function, and over HTTP from the real server), served from the
 * feed cache (200) and revalidated (304), beside the floor: a minimal hand-written
 * serialiser over the same rows, already loaded, measured in the same run.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { eq } from "drizzle-orm";
import { DateTime } from "luxon";
import { openDatabase, type Db } from "../../models/db";
import { categories, sessions, stations } from "../../models/db/schema";
import { migrateDatabase } from "../../models/boot";
import { createEmptyStation } from "../../models/stations";
import { createActivity } from "../../models/activities";
import { getConfig } from "../../models/config";
import { addEvent, buildFeed, cachedFeed, feedVersion, newCalendar, publicFeedRows, sessionEvent, type FeedQuery } from "../../models/feeds";
import { floorCalendar, type FloorRow } from "./feeds-floor";
import { freePort, HOST, ServerExitedError, startServer, stopServer } from "./server-process";
import { gitCommit, machine, type Machine } from "./report";
import { share, snapshot } from "./cpu";

export const FEED_SESSIONS = 1000;
const COLD_RUNS = 40;
const FLOOR_RUNS = 200;
const CACHED_RUNS = 500;
const WARMUP = 5;

export interface Stats {
  n: number;
  median: number;
  p95: number;
  min: number;
}

export interface FeedFigures {
  when: string;
  machine: Machine;
  commit: string;
  backend: string;
  sessions: number;
  events: number;
  bodyBytes: number;
  model: { cold: Stats; version: Stats; cachedHit: Stats; query: Stats; icalGenerator: Stats; floor: Stats };
  /** Other processes' CPU (in cores) while the model phase ran. */
  modelOther: number;
  http?: { cold: Stats; cached200: Stats; notModified: Stats; readyMs: number; serverCores: number; other: number };
  httpError?: string;
  totalS: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { n: sorted.length, median: at(0.5), p95: at(0.95), min: sorted[0]! };
}

async function time(runs: number, fn: (i: number) => Promise<unknown> | unknown): Promise<Stats> {
  for (let i = 0; i < WARMUP; i++) await fn(-1 - i);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn(i);
    samples.push(performance.now() - t0);
  }
  return stats(samples);
}

/** An empty station, ten activities, and sessions spread over the feed's window up to `count`. */
export async function seed(db: Db, slug: string, timeZone: string, horizonDays: number, count: number) {
  const station = await createEmptyStation(db, slug, timeZone);
  const cats = await db.select({ id: categories.id }).from(categories).where(eq(categories.stationId, station.id));
  const today = DateTime.now().setZone(timeZone).startOf("day");
  const activityIds: number[] = [];
  for (let i = 0; i < 10; i++) {
    activityIds.push(
      await createActivity(
        db,
        { stationId: station.id, timeZone, actorAccountId: null, horizonDays },
        {
          categoryId: cats[i % cats.length]!.id,
          title: `社区健康活动 ${i + 1}：血压测量与慢病管理讲座`,
          description: "请带上医保卡和近期的化验单。活动结束后，医生会为大家解答用药、饮食和运动方面的问题，欢迎家属陪同参加。",
          location: "驿站一楼多功能活动室（社区服务中心东侧）",
          leader: "李医生",
          capacity: 20,
          durationMinutes: 90,
          startDate: today.plus({ days: i }).toISODate()!,
          startTime: "09:00",
          rule: null,
          exdates: [],
        },
      ),
    );
  }
  // The rest as rows of their own, spread evenly from a week ago to the horizon, 08:00–16:00.
  const days = horizonDays + 7;
  const rows = Array.from({ length: count - activityIds.length }, (_, i) => {
    const start = today.minus({ days: 7 }).plus({ days: Math.floor((i * days) / count), hours: 8 + (i % 9) });
    return {
      stationId: station.id,
      activityId: activityIds[i % activityIds.length]!,
      occurrenceKey: `bench-${i}`,
      startsAt: start.toJSDate(),
      endsAt: start.plus({ minutes: 90 }).toJSDate(),
      capacity: 20,
      // A few cancelled ones, recently, as the feed keeps them for a week.
      ...(i % 50 === 7 ? { status: "cancelled" as const, sequence: 1 } : {}),
    };
  });
  for (let i = 0; i < rows.length; i += 200) await db.insert(sessions).values(rows.slice(i, i + 200));
  return station;
}

/**
 * The rows the public feed shows, loaded once for the floor, and timed alone: the queries'
 * share of a build, through the feed's own loader.
 */
const feedRows = (db: Db, query: Required<Pick<FeedQuery, "stationId" | "timeZone" | "horizonDays" | "now">>): Promise<FloorRow[]> =>
  publicFeedRows(db, query);

/**
 * ical-generator's share of a build: its event objects made from the loaded rows and their
 * text, through models/feeds.ts's own calendar and event builders (the folding after it, and the query before, are not in).
 */
function icalGeneratorOnly(name: string, slug: string, rows: FloorRow[], timeZone: string, baseUrl: string): string {
  const calendar = newCalendar(name);
  for (const row of rows) addEvent(calendar, sessionEvent(row, { uid: `session-${row.id}@${slug}.hearth`, baseUrl }), timeZone);
  let text = "";
  for (const event of calendar.events()) text += event.toString();
  return text;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(port: number, pathname: string, headers: Record<string, string>): Promise<{ status: number; etag: string | null; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: HOST, port, path: pathname, headers, agent }, (res) => {
      let bytes = 0;
      res.on("data", (chunk: Buffer) => (bytes += chunk.length));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, etag: (res.headers.etag as string | undefined) ?? null, bytes }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

export async function runFeeds(root: string, log: (message: string) => void): Promise<FeedFigures> {
  const t0 = performance.now();
  const when = new Date().toISOString();
  const config = getConfig();
  const slug = config.STATION_SLUG;
  const timeZone = "Asia/Shanghai";
  const horizonDays = config.CALENDAR_HORIZON_DAYS;
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-bench-feeds-"));
  const dataDir = path.join(tempDir, "data");
  try {
    // 1. The model layer, in this process, on a PGlite directory the server opens afterwards.
    log(`feeds: seeding a station with ${FEED_SESSIONS} sessions in the window (PGlite, ${dataDir}) …`);
    const handle = await openDatabase({ kind: "pglite", dataDir });
    let model: FeedFigures["model"];
    let sessionsInWindow = 0;
    let modelOther = NaN;
    let events = 0;
    let bodyBytes = 0;
    try {
      await migrateDatabase(handle);
      const station = await seed(handle.db, slug, timeZone, horizonDays, FEED_SESSIONS);
      const now = new Date();
      const baseUrl = "http://127.0.0.1:3000";
      const query = { stationId: station.id, timeZone, horizonDays, now, baseUrl };
      const body = await buildFeed(handle.db, query);
      events = body.split("BEGIN:VEVENT").length - 1;
      bodyBytes = Buffer.byteLength(body);
      const rows = await feedRows(handle.db, query);
      sessionsInWindow = rows.length;
      if (rows.length !== events) throw new Error(`the floor's rows (${rows.length}) are not the feed's events (${events})`);
      const [named] = await handle.db.select({ nameZh: stations.nameZh }).from(stations).where(eq(stations.id, station.id));
      const name = `${named!.nameZh} · 活动日历`;
      const floorBody = floorCalendar(name, slug, rows, baseUrl);
      if (floorBody.split("BEGIN:VEVENT").length - 1 !== events) throw new Error("the floor lost events");

      log(`feeds: model layer, ${events} events, ${(bodyBytes / 1024).toFixed(0)} KiB …`);
      const cpu0 = snapshot();
      // Alternating would mix their caches; each is run as a block, the floor first and last.
      const floorA = await time(FLOOR_RUNS / 2, () => floorCalendar(name, slug, rows, baseUrl));
      const cold = await time(COLD_RUNS, () => buildFeed(handle.db, query));
      const queryOnly = await time(COLD_RUNS, () => feedRows(handle.db, query));
      const icalGenerator = await time(COLD_RUNS, () => icalGeneratorOnly(name, slug, rows, timeZone, baseUrl));
      const version = await time(CACHED_RUNS, () => feedVersion(handle.db, query));
      const { etag } = await feedVersion(handle.db, query);
      await cachedFeed(handle.db, query, etag);
      const cachedHit = await time(CACHED_RUNS, async () => cachedFeed(handle.db, query, (await feedVersion(handle.db, query)).etag));
      const floorB = await time(FLOOR_RUNS / 2, () => floorCalendar(name, slug, rows, baseUrl));
      const floor = floorA.median <= floorB.median ? floorA : floorB;
      model = { cold, version, cachedHit, query: queryOnly, icalGenerator, floor: { ...floor, n: floorA.n + floorB.n } };
      modelOther = share(cpu0, snapshot(), 0).other;
      log(
        `  cold buildFeed p50 ${model.cold.median.toFixed(1)} ms (query ${model.query.median.toFixed(1)}, ical-generator ${model.icalGenerator.median.toFixed(1)}); ` +
          `floor p50 ${model.floor.median.toFixed(2)} ms; version + cache hit p50 ${model.cachedHit.median.toFixed(2)} ms`,
      );
    } finally {
      await handle.close();
    }

    // 2. Over HTTP: the production server on the same directory.
    let httpFigures: FeedFigures["http"];
    let httpError: string | undefined;
    try {
      const server = await startServer({ root, dataDir, port: await freePort(), probePath: "/feeds/calendar.ics" });
      try {
        log(`feeds: over HTTP (server ready in ${(server.readyMs / 1000).toFixed(2)} s) …`);
        const feedPath = "/feeds/calendar.ics";
        const cpu0 = snapshot(server.pid);
        // Cold: every request names another host, so its feed (links included) is not cached yet.
        const coldHttp = await time(COLD_RUNS, async (i) => {
          const res = await get(server.port, feedPath, { host: `h${i + 100}.bench.test:${server.port}` });
          if (res.status !== 200) throw new Error(`cold GET answered ${res.status}`);
        });
        const host = { host: `${HOST}:${server.port}` };
        const first = await get(server.port, feedPath, host);
        if (first.status !== 200 || !first.etag) throw new Error(`GET ${feedPath} answered ${first.status} without an ETag`);
        const cached200 = await time(CACHED_RUNS, async () => {
          const res = await get(server.port, feedPath, host);
          if (res.status !== 200) throw new Error(`cached GET answered ${res.status}`);
        });
        const notModified = await time(CACHED_RUNS, async () => {
          const res = await get(server.port, feedPath, { ...host, "if-none-match": first.etag! });
          if (res.status !== 304) throw new Error(`conditional GET answered ${res.status}`);
        });
        const cpu = share(cpu0, snapshot(server.pid));
        httpFigures = { cold: coldHttp, cached200, notModified, readyMs: server.readyMs, serverCores: cpu.server, other: cpu.other };
        log(
          `  HTTP cold p50 ${coldHttp.median.toFixed(1)} ms; cached 200 p50 ${cached200.median.toFixed(2)} ms; 304 p50 ${notModified.median.toFixed(2)} ms`,
        );
      } finally {
        await stopServer(server);
      }
    } catch (error) {
      httpError = error instanceof Error ? error.message : String(error);
      log(`feeds: the HTTP part failed: ${httpError}`);
      if (error instanceof ServerExitedError) console.error(`---- server output ----\n${error.output.trimEnd()}\n-----------------------`);
    }
    return {
      when,
      machine: machine(),
      commit: gitCommit(root),
      backend: "PGlite (embedded, the default)",
      sessions: sessionsInWindow,
      events,
      bodyBytes,
      model: model!,
      modelOther,
      http: httpFigures,
      httpError,
      totalS: (performance.now() - t0) / 1000,
    };
  } finally {
    agent.destroy();
    fs.rmSync(tempDir, { recursive: true, force: true });
  }
}
