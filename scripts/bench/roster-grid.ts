/**
 * The roster grid bench: `/manage/roster?week=<the demo's busiest week>` for the signed-in
 * demo coordinator, requests/s and latency beside the same server's trivial route (/healthz)
 * in the same run. A signed-in page is never served from the page cache, so this is the
 * grid's real cost: the guard's session lookup, weekShifts, qualifiedBySkill and the render.
 *
 * The busiest week is found first on a copy of the demo seeded in memory with the same
 * "now" (the demo is deterministic for a given now): the week with the most need cells on
 * the grid (then the most places, then the most people on them).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { DateTime } from "luxon";
import { openDatabase } from "../../models/db";
import { weekShifts } from "../../models/rosters";
import { getConfig } from "../../models/config";
import { seedDemoCommunity, DEMO_LOGINS } from "../../demo/community";
import { backgroundLoad } from "./cpu";
import { runLoad, HEADERS, type LoadResult } from "./load";
import { freePort, readMemory, ServerExitedError, startServer, stopServer } from "./server-process";
import { gitCommit, machine, type Machine } from "./report";

const ZONE = "Asia/Shanghai";
const WARMUP_REQUESTS = 300;
export const GRID_GOAL = 0.3;

export interface BusiestWeek {
  param: string;
  monday: string;
  sunday: string;
  sessions: number;
  cells: number;
  places: number;
  filled: number;
  openCells: number;
  weeksScanned: number;
  /** Weeks with as many need cells and places as the chosen one. */
  tied: number;
  firstWeek: string;
  lastWeek: string;
  seedMs: number;
}

export interface RosterGridFigures {
  when: string;
  machine: Machine;
  commit: string;
  buildNote: string;
  week: BusiestWeek;
  gridPath: string;
  pageBytes: number;
  signIn: string;
  healthz: LoadResult;
  grid: LoadResult;
  memory: { rssMiB: number; hwmMiB: number } | null;
  background: number;
  connections: number;
  durationS: number;
  readyMs: number;
  totalS: number;
}

const weekParam = (monday: DateTime) => `${monday.weekYear}-W${String(monday.weekNumber).padStart(2, "0")}`;

/** Seeds the demo in memory with `now` and counts each grid week's needs, from the programme's start to the horizon. */
export async function busiestWeek(now: Date): Promise<BusiestWeek> {
  const handle = await openDatabase({ kind: "pglite-memory" });
  try {
    await handle.migrate();
    const t0 = performance.now();
    const { stationId } = await seedDemoCommunity(handle.db, { now });
    const seedMs = Math.round(performance.now() - t0);
    const local = DateTime.fromJSDate(now, { zone: ZONE });
    const first = local.startOf("month").minus({ months: 1 }).startOf("week");
    const last = local.plus({ days: getConfig().CALENDAR_HORIZON_DAYS }).startOf("week");
    let best: Omit<BusiestWeek, "weeksScanned" | "tied" | "firstWeek" | "lastWeek" | "seedMs"> | undefined;
    let scanned = 0;
    const sizes: string[] = [];
    for (let monday = first; monday <= last; monday = monday.plus({ weeks: 1 })) {
      scanned++;
      const { sessions, shifts } = await weekShifts(handle.db, stationId, monday.toJSDate(), monday.plus({ weeks: 1 }).toJSDate());
      // As the grid shows it: cancelled sessions are left out.
      const cells = sessions.filter((s) => s.status !== "cancelled").flatMap((s) => shifts.get(s.id) ?? []);
      const figures = {
        param: weekParam(monday),
        monday: monday.toISODate()!,
        sunday: monday.plus({ days: 6 }).toISODate()!,
        sessions: sessions.filter((s) => s.status !== "cancelled").length,
        cells: cells.length,
        places: cells.reduce((n, c) => n + c.headCount, 0),
        filled: cells.reduce((n, c) => n + Math.min(c.filled, c.headCount), 0),
        openCells: cells.filter((c) => c.filled < c.headCount).length,
      };
      sizes.push(`${figures.cells}/${figures.places}`);
      // Most cells, then places; then the most cells still open (each renders its pick list of
      // qualified people: the heavier page, and the weeks a coordinator works on), then people
      // on them; on a tie the earlier week stays.
      const order = (f: typeof figures) => [f.cells, f.places, f.openCells, f.filled];
      const [a, b] = [order(figures), best ? order(best) : []];
      const at = a.findIndex((v, i) => v !== b[i]);
      if (!best || (at >= 0 && a[at]! > b[at]!)) best = figures;
    }
    const tied = sizes.filter((size) => size === `${best!.cells}/${best!.places}`).length;
    return { ...best!, weeksScanned: scanned, tied, firstWeek: weekParam(first), lastWeek: weekParam(last), seedMs };
  } finally {
    await handle.close();
  }
}

/** Signs in through the login form, as a person would; returns the Cookie header to send. */
async function signIn(base: string): Promise<string> {
  const email = DEMO_LOGINS.accounts.find((a) => a.role === "coordinator")!.email;
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { ...HEADERS, "content-type": "application/x-www-form-urlencoded", origin: base },
    body: new URLSearchParams({ login: email, password: DEMO_LOGINS.password, redirectTo: "/manage/roster" }).toString(),
    signal: AbortSignal.timeout(10_000),
  });
  await res.arrayBuffer();
  const cookies = res.headers.getSetCookie().map((c) => c.split(";", 1)[0]!);
  if (res.status !== 302 || cookies.length === 0) throw new Error(`POST /login as ${email} answered ${res.status} without a session cookie`);
  return cookies.join("; ");
}

export async function runRosterGrid(
  root: string,
  opts: { buildNote: string; connections: number; durationS: number; log: (m: string) => void; quiet: () => Promise<unknown> },
): Promise<RosterGridFigures> {
  const { log } = opts;
  const started = performance.now();
  const when = new Date().toISOString();
  log("roster grid: seeding the demo in memory to find its busiest week …");
  const week = await busiestWeek(new Date());
  log(
    `  busiest: ${week.param} (${week.monday} – ${week.sunday}): ${week.sessions} sessions, ${week.cells} need cells, ${week.places} places (${week.filled} filled); ${week.weeksScanned} weeks scanned`,
  );

  await opts.quiet();
  const background = await backgroundLoad(1000);
  log(`other processes' load: ${background.toFixed(2)} cores`);
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-grid-"));
  let server;
  try {
    try {
      server = await startServer({ root, dataDir: path.join(tempDir, "data"), port: await freePort() });
    } catch (error) {
      if (error instanceof ServerExitedError) console.error(`---- server output ----\n${error.output.trimEnd()}\n-----------------------`);
      throw error;
    }
    log(`  server up (demo seeded) in ${(server.readyMs / 1000).toFixed(1)} s`);
    const cookie = await signIn(server.base);
    const gridPath = `/manage/roster?week=${week.param}`;
    const page = await fetch(server.base + gridPath, { headers: { ...HEADERS, cookie }, signal: AbortSignal.timeout(10_000) });
    const body = await page.text();
    if (page.status !== 200 || !body.includes("roster-grid"))
      throw new Error(`GET ${gridPath} as the coordinator answered ${page.status}${page.status === 200 ? " without the grid" : ""}`);
    const paths: [string, Record<string, string>][] = [
      ["/healthz", {}],
      [gridPath, { cookie }],
    ];
    log(`warm-up: ${WARMUP_REQUESTS} requests per route …`);
    for (const [p, headers] of paths) await runLoad(server.base + p, { connections: 10, amount: WARMUP_REQUESTS, serverPid: server.pid, headers });
    log(`load: ${opts.connections} connections × ${opts.durationS} s per route`);
    const results: LoadResult[] = [];
    for (const [p, headers] of paths) {
      await opts.quiet();
      const r = await runLoad(server.base + p, { connections: opts.connections, duration: opts.durationS, serverPid: server.pid, headers });
      log(
        `  ${r.path.padEnd(30)} ${Math.round(r.rps).toString().padStart(6)} req/s  p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  non-2xx ${r.non2xx}  cpu: server ${r.cpu.server.toFixed(2)}, other ${r.cpu.other.toFixed(2)}`,
      );
      // A wrong answer (a sign-in page, a 500) means the figures are not the grid's: stop.
      // Timeouts on a crowded machine are reported in the table instead.
      if (r.non2xx) throw new Error(`${r.path}: ${r.non2xx} non-2xx (${JSON.stringify(r.statusCodes)})`);
      results.push(r);
    }
    const memory = readMemory(server.pid);
    return {
      when,
      machine: machine(),
      commit: gitCommit(root),
      buildNote: opts.buildNote,
      week,
      gridPath,
      pageBytes: Buffer.byteLength(body),
      signIn: "the demo coordinator through the login form (`POST /login`), its session cookie sent with every request",
      healthz: results[0]!,
      grid: results[1]!,
      memory,
      background,
      connections: opts.connections,
      durationS: opts.durationS,
      readyMs: server.readyMs,
      totalS: (performance.now() - started) / 1000,
    };
  } finally {
    if (server) await stopServer(server);
    fs.rmSync(tempDir, { recursive: true, force: true });
  }
}

/** Server CPU per completed request, in ms. */
const cpuPerRequest = (r: LoadResult, durationS: number) => (r.cpu.server * durationS * 1000) / Math.max(1, r.requests);

export function rosterGridVerdict(f: RosterGridFigures) {
  const ratio = f.grid.rps / f.healthz.rps;
  const cpuRatio = cpuPerRequest(f.healthz, f.durationS) / cpuPerRequest(f.grid, f.durationS);
  return { ratio, cpuRatio, ok: ratio >= GRID_GOAL };
}

export function rosterGridMarkdown(f: RosterGridFigures, profile?: string): string {
  const v = rosterGridVerdict(f);
  const busy = Math.max(f.background, f.healthz.cpu.other, f.grid.cpu.other);
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const row = (r: LoadResult, bytes: string) =>
    `| \`${r.path}\` | ${Math.round(r.rps)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${r.errors + r.timeouts} | ${r.cpu.server.toFixed(2)} | ${cpuPerRequest(r, f.durationS).toFixed(2)} ms | ${r.cpu.other.toFixed(2)} | ${bytes} |`;
  const w = f.week;
  return [
    "## Roster grid",
    "",
    `Measured ${f.when} (${Math.round(f.totalS)} s) on ${f.machine.cpu}, ${f.machine.cores} cores, ${f.machine.memory}, Node ${f.machine.node}; commit \`${f.commit}\`; build: ${f.buildNote}. The production server (\`node build/hearth/server.mjs\`, PGlite, the demo community seeded on its first start), signed in as ${f.signIn}. ${f.connections} connections × ${f.durationS} s per route after ${WARMUP_REQUESTS} warm-up requests each; /healthz and the grid in the same run, on the same server.`,
    "",
    `**The week.** \`${f.gridPath}\` (${w.monday} – ${w.sunday}), the demo's busiest: ${w.sessions} sessions, ${w.cells} need cells, ${w.places} places (${w.filled} filled, ${w.openCells} cells with open places, each with its list of qualified people to pick from); the page is ${Math.round(f.pageBytes / 1024)} KiB of HTML. Chosen over the ${w.weeksScanned} weeks from ${w.firstWeek} (the programme's first, the first of last month) to ${w.lastWeek} (the calendar's horizon) on a copy of the demo seeded in memory with the same "now" (most need cells, then places, then cells with open places, then people on them)${w.tied > 1 ? `; ${w.tied} of the ${w.weeksScanned} weeks have as many cells and places, and this is the first of them with the most cells still open` : ""}.`,
    "",
    ...(busy >= 0.2
      ? [
          `> **Other processes were busy during this run** (up to ${busy.toFixed(2)} cores of ${f.machine.cores}): the absolute figures are depressed; the ratio, measured in the same minutes, less so, and the CPU-based ratio hardly at all.`,
          "",
        ]
      : [`Other processes used ${busy.toFixed(2)} cores at most during the run (a quiet machine).`, ""]),
    "| Route | req/s | p50 | p95 | p99 | Errors + timeouts (10 s) | Server CPU (cores) | Server CPU per request | Other processes (cores) | Bytes |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    row(f.healthz, "—"),
    row(f.grid, `${Math.round(f.pageBytes / 1024)} KiB`),
    "",
    "| Measure | Result | Goal | Verdict |",
    "| --- | --- | --- | --- |",
    `| Grid ÷ /healthz, req/s | ${v.ratio.toFixed(2)} | ≥ ${GRID_GOAL} | ${v.ok ? "PASS" : "**MISS**"} |`,
    `| (cross-check) /healthz's CPU per request ÷ the grid's | ${v.cpuRatio.toFixed(2)} |  | (informative) |`,
    "",
    `Server RSS after the runs: ${f.memory ? `${Math.round(f.memory.rssMiB)} MiB (peak ${Math.round(f.memory.hwmMiB)} MiB)` : "n/a"}. The page is signed in, so it is never served from the anonymous page cache: every request is the guard's session lookup, the week's sessions and shifts (\`weekShifts\`), the qualified people per open skill (\`qualifiedBySkill\`) and the server render.`,
    ...(profile ? ["", profile] : []),
    "",
    "Run just this part with `npm run bench -- --only=roster-grid` (it then replaces only this section of this file).",
  ].join("\n");
}
