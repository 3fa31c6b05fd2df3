/**
 * The Hearth bench: cold starts (empty and existing DATA_DIR), shutdown, throughput and
 * latency of the floor (/healthz) and the calendar pages, the server's RSS, and the signup
 * rush on PostgreSQL (model layer beside its floor, and over HTTP). Writes
 * docs/benchmarks.md and prints the tables.
 *
 *   npx tsx scripts/bench/run.ts [--only=rush|pages|feeds|mail|roster-suggest|roster-grid] [--build] [--duration=15] [--connections=50] [--wait-idle[=300]] [--raw]
 *
 * --only=report the front desk's month report and tally (scripts/bench/desk-report.ts).
 * --only=import the household import of a 10,000-row CSV beside its floor (scripts/bench/care-import.ts).
 * --only=page-cache the anonymous page cache's own cost per request and per kept copy (scripts/bench/page-cache.ts).
 * --only=rush-pglite the signup rush over HTTP on the embedded database (scripts/bench/rush-pglite.ts);
 * with --pglite-thread=main its server runs PGlite in its own thread, as before ADR 37, instead of a worker thread.
 * --only=instances the signup rush through one server and through two on one PostgreSQL (scripts/bench/instances.ts).
 * --only=rush runs just the signup rush and replaces only its section of docs/benchmarks.md;
 * --only=feeds the calendar feeds (scripts/bench/feeds.ts), --only=mail the notification mail
 * (scripts/bench/mail.ts), --only=roster-suggest the roster suggestion over a month of the demo
 * (scripts/bench/roster-suggest.ts), --only=roster-grid the signed-in roster grid beside /healthz
 * (scripts/bench/roster-grid.ts), each likewise; --only=pages just the pages, keeping the others' sections. --build forces the build (app and server bundle); --wait-idle first
 * waits (up to N s) until other processes use < 0.2 cores; --raw prints one autocannon
 * result object in full.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { backgroundLoad, waitForQuiet } from "./cpu";
import { HEADERS, runLoad, type LoadResult } from "./load";
import { freePort, killAll, readMemory, ServerExitedError, startServer, stopServer, type RunningServer } from "./server-process";
import {
  gitCommit,
  goalsTable,
  loadTable,
  machine,
  markdown,
  memoryTable,
  ratio,
  ratioUncached,
  rushGoalsTable,
  rushHttpTable,
  rushMarkdown,
  rushModelTable,
  rushVerdicts,
  s,
  spliceRushSection,
  startupTable,
  worstBackground,
  type Figures,
} from "./report";
import { dropBenchDatabasesSync, runRush, type RushFigures } from "./rush";
import { buildHasApi } from "./rush-http";
import { runFeeds } from "./feeds";
import { feedsMarkdown, feedsVerdicts } from "./feeds-report";
import { runMail } from "./mail";
import { mailMarkdown } from "./mail-report";
import { keepSections, spliceSection } from "./sections";
import { runRosterSuggest, rosterSuggestSection, rosterSuggestVerdicts } from "./roster-suggest-report";
import { runRosterGrid, rosterGridMarkdown, rosterGridVerdict } from "./roster-grid";
import { REPORT_GOAL_MS, deskReportMarkdown, runDeskReport } from "./desk-report";
import { runSignedIn, signedInMarkdown, signedInVerdicts, SIGNED_IN_GOALS } from "./signed-in";
import { pageCacheMarkdown, runPageCache } from "./page-cache";
import { instancesCorrect, instancesMarkdown, runInstances } from "./instances";
import { IMPORT_GOAL_MS, careImportMarkdown, runCareImport } from "./care-import";
import { pgliteRushCorrect, pgliteRushMarkdown, runPgliteRush } from "./rush-pglite";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const hit = args.find((a) => a.startsWith(`--${name}=`));
  const value = hit ? Number(hit.slice(name.length + 3)) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
};

const WAIT_IDLE_S = flag("wait-idle") ? 300 : args.some((a) => a.startsWith("--wait-idle=")) ? option("wait-idle", 300) : 0;
const DURATION_S = option("duration", 15);
const CONNECTIONS = option("connections", 50);
const EXISTING_RUNS = 3;
const WARMUP_REQUESTS = 300;
const ONLY = args.find((a) => a.startsWith("--only="))?.slice("--only=".length);
const PARTS = [
  "rush",
  "pages",
  "feeds",
  "mail",
  "roster-suggest",
  "roster-grid",
  "report",
  "signed-in",
  "page-cache",
  "instances",
  "import",
  "rush-pglite",
];
if (ONLY !== undefined && !PARTS.includes(ONLY)) throw new Error(`--only must be one of ${PARTS.join(", ")}`);
const WITH_PAGES = ONLY === undefined || ONLY === "pages";
const WITH_RUSH = ONLY === undefined || ONLY === "rush";
const WITH_FEEDS = ONLY === undefined || ONLY === "feeds";
const WITH_MAIL = ONLY === undefined || ONLY === "mail";
const WITH_SUGGEST = ONLY === undefined || ONLY === "roster-suggest";
const WITH_GRID = ONLY === undefined || ONLY === "roster-grid";
const WITH_REPORT = ONLY === undefined || ONLY === "report";
const WITH_SIGNED_IN = ONLY === undefined || ONLY === "signed-in";
const WITH_PAGE_CACHE = ONLY === undefined || ONLY === "page-cache";
const WITH_INSTANCES = ONLY === undefined || ONLY === "instances";
const WITH_IMPORT = ONLY === undefined || ONLY === "import";
const WITH_RUSH_PGLITE = ONLY === undefined || ONLY === "rush-pglite";
const PGLITE_THREAD = args.includes("--pglite-thread=main") ? "main" : "worker";

const benchStart = performance.now();
const log = (message: string) => console.log(`[bench ${((performance.now() - benchStart) / 1000).toFixed(1).padStart(5)} s] ${message}`);

// Never leave a server behind, however the bench ends.
let tempDir: string | undefined;
let rushStarted = false;
function cleanup() {
  killAll("SIGKILL");
  if (rushStarted) dropBenchDatabasesSync();
  rushStarted = false;
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  tempDir = undefined;
}
process.on("exit", cleanup);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    console.error(`\n[bench] ${signal}: stopping servers`);
    cleanup();
    process.exit(130);
  });
}

function ensureBuild(): string {
  const entry = path.join(root, "build/server/index.js");
  // The servers the bench starts run the bundle (ADR 0029): a build without it is no build.
  const bundled = fs.existsSync(path.join(root, "build/hearth/server.mjs"));
  // The rush needs the JSON API: a build from before it is rebuilt first, so every part measures the same build.
  const noApi = WITH_RUSH && fs.existsSync(entry) && !buildHasApi(root);
  if (flag("build") || !fs.existsSync(entry) || !bundled || noApi) {
    log(
      flag("build")
        ? "--build: building the app and the server bundle …"
        : noApi
          ? "the production build predates the JSON API: building …"
          : "no production build (or no server bundle): building …",
    );
    const t0 = performance.now();
    // The project's one build (the Remix app, then the server bundle), as `npm start` runs it.
    const result = spawnSync(process.execPath, [path.join(root, "scripts/build-if-changed.mjs"), "--force"], { cwd: root, stdio: "inherit" });
    if (result.status !== 0) throw new Error(`the build failed (exit ${result.status})`);
    log(`build done in ${s(performance.now() - t0)}`);
    return `fresh (built by the bench, ${s(performance.now() - t0)})`;
  }
  // Others may have edited app/ since the last build: say so rather than bench stale code silently.
  const builtAt = fs.statSync(entry).mtimeMs;
  let newer = 0;
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (fs.statSync(p).mtimeMs > builtAt) newer++;
    }
  };
  for (const dir of ["app", "models"]) if (fs.existsSync(path.join(root, dir))) walk(path.join(root, dir));
  const when = new Date(builtAt).toISOString();
  if (newer > 0) log(`warning: ${newer} file(s) in app/ or models/ are newer than the build (${when}); pass --build to rebuild`);
  return `existing build from ${when}${newer > 0 ? ` (${newer} source file(s) newer than it: stale, rerun with \`--build\`)` : " (no app/ or models/ file newer)"}`;
}

/** Starts the server on a free port; on failure, prints what it said before it stopped. */
async function start(dataDir: string, env?: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  try {
    return await startServer({ root, dataDir, port, env });
  } catch (error) {
    const output = error instanceof ServerExitedError ? error.output : "";
    if (output) console.error(`---- server output ----\n${output.trimEnd()}\n-----------------------`);
    throw error;
  }
}

async function fetchText(url: string): Promise<{ status: number; body: string; bytes: number }> {
  const res = await fetch(url, { headers: HEADERS, signal: AbortSignal.timeout(10_000) });
  const buffer = Buffer.from(await res.arrayBuffer());
  return { status: res.status, body: buffer.toString("utf8"), bytes: buffer.length };
}

/** The first seeded session linked from the calendar views. */
async function findSessionPath(base: string): Promise<string> {
  for (const page of ["/calendar", "/calendar/week", "/calendar/list"]) {
    const { status, body } = await fetchText(base + page);
    const match = status === 200 ? /\/sessions\/(\d+)/.exec(body) : null;
    if (match) return `/sessions/${match[1]}`;
  }
  throw new Error("no /sessions/<id> link on /calendar, /calendar/week or /calendar/list: is the demo community seeded?");
}

/** With --wait-idle: wait for a quiet machine before a measured phase, within one overall budget. Says whether it waited. */
let waitedS = 0;
async function quiet(): Promise<boolean> {
  const left = WAIT_IDLE_S - waitedS;
  if (left < 1) return false;
  const t0 = performance.now();
  await waitForQuiet(0.2, left, log);
  const waited = (performance.now() - t0) / 1000;
  waitedS += waited;
  return waited > 2.5;
}

const cpuNote = (r: RunningServer) => `server CPU ${s(r.startCpu.serverMs)}, other processes ${r.startCpu.other.toFixed(2)} cores`;

function printLoad(r: LoadResult) {
  log(
    `  ${r.path.padEnd(16)} ${Math.round(r.rps).toString().padStart(6)} req/s  p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  ` +
      `errors ${r.errors + r.timeouts}  non-2xx ${r.non2xx}${r.non2xx ? ` ${JSON.stringify(r.statusCodes)}` : ""}  ` +
      `cpu: server ${r.cpu.server.toFixed(2)}, autocannon ${r.cpu.bench.toFixed(2)}, other ${r.cpu.other.toFixed(2)} cores`,
  );
}

async function benchPages(when: string, buildNote: string): Promise<Figures> {
  if (WAIT_IDLE_S > 0)
    log(`--wait-idle: before each measured phase, waiting for other processes to use < 0.2 cores (${WAIT_IDLE_S} s budget in all) …`);
  await quiet();
  const atStart = await backgroundLoad(1000);
  log(`other processes' load: ${atStart.toFixed(2)} cores${atStart >= 0.2 ? " (busy machine: figures will be depressed)" : ""}`);
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-bench-"));
  const dataDir = path.join(tempDir, "data");

  // 1. Cold start on an empty DATA_DIR: migrate + seed + first render.
  log(`cold start, empty DATA_DIR (${dataDir}) …`);
  await quiet();
  const first = await start(dataDir);
  log(
    `  first 200 on /calendar after ${s(first.readyMs)}${first.selfReportedMs !== undefined ? ` (server says ready in ${first.selfReportedMs} ms)` : ""}; ${cpuNote(first)}`,
  );
  const firstStop = await stopServer(first);
  log(`  SIGTERM → exit in ${s(firstStop.ms)} (code ${firstStop.code}${firstStop.signal ? `, signal ${firstStop.signal}` : ""})`);

  // 2. Cold starts on the seeded DATA_DIR; the last one stays up for the load runs.
  const runs: number[] = [];
  const startCpus: RunningServer["startCpu"][] = [];
  const shutdowns: number[] = [];
  let server: RunningServer | undefined;
  for (let i = 0; i < EXISTING_RUNS; i++) {
    await quiet();
    server = await start(dataDir);
    runs.push(server.readyMs);
    startCpus.push(server.startCpu);
    log(`cold start ${i + 1}/${EXISTING_RUNS}, existing DATA_DIR: first 200 after ${s(server.readyMs)}; ${cpuNote(server)}`);
    if (i < EXISTING_RUNS - 1) {
      const stop = await stopServer(server);
      shutdowns.push(stop.ms);
      log(`  SIGTERM → exit in ${s(stop.ms)}`);
    }
  }
  const live = server!;
  const sorted = [...runs].sort((a, b) => a - b);

  // 3. Throughput. Warm up every route first (JIT, PGlite caches, the station cache).
  const sessionPath = await findSessionPath(live.base);
  const paths = { healthz: "/healthz", calendar: "/calendar", week: "/calendar/week", session: sessionPath } as const;
  const pageBytes: Record<string, number> = {};
  for (const p of Object.values(paths)) {
    const { status, bytes } = await fetchText(live.base + p);
    if (status !== 200) throw new Error(`GET ${p} answered ${status} before the load runs`);
    pageBytes[p] = bytes;
  }
  const memoryIdle = readMemory(live.pid);
  log(`warm-up: ${WARMUP_REQUESTS} requests per route …`);
  for (const p of Object.values(paths)) await runLoad(live.base + p, { connections: 10, amount: WARMUP_REQUESTS, serverPid: live.pid });

  log(`load: ${CONNECTIONS} connections × ${DURATION_S} s per route`);
  const load = {} as Figures["load"];
  for (const [key, p] of Object.entries(paths) as [keyof typeof paths, string][]) {
    await quiet();
    load[key] = await runLoad(live.base + p, { connections: CONNECTIONS, duration: DURATION_S, serverPid: live.pid });
    printLoad(load[key]);
    if (key === "healthz" && flag("raw")) {
      const { raw } = load[key];
      console.log("autocannon result object (once):", JSON.stringify(raw, null, 2));
    }
  }

  // 4. Memory of the server process after the runs, then the last shutdown.
  const memory = readMemory(live.pid);
  const finalStop = await stopServer(live);
  log(`after load: SIGTERM → exit in ${s(finalStop.ms)}`);

  // 5. The same pages with the anonymous page cache off: what every render really costs
  // (and what a signed-in visitor, who is never served from the cache, gets).
  log("page cache off (PAGE_CACHE_SECONDS=0): the pages again …");
  const uncachedServer = await start(dataDir, { PAGE_CACHE_SECONDS: "0" });
  const uncachedPaths = { calendarUncached: paths.calendar, weekUncached: paths.week, sessionUncached: paths.session } as const;
  for (const p of Object.values(uncachedPaths))
    await runLoad(uncachedServer.base + p, { connections: 10, amount: WARMUP_REQUESTS, serverPid: uncachedServer.pid });
  for (const [key, p] of Object.entries(uncachedPaths) as [keyof typeof uncachedPaths, string][]) {
    await quiet();
    load[key] = await runLoad(uncachedServer.base + p, { connections: CONNECTIONS, duration: DURATION_S, serverPid: uncachedServer.pid });
    printLoad(load[key]);
  }
  shutdowns.push((await stopServer(uncachedServer)).ms);

  const figures: Figures = {
    when,
    machine: machine(),
    commit: gitCommit(root),
    buildNote,
    background: { atStart, waitedS },
    coldEmpty: { readyMs: first.readyMs, selfReportedMs: first.selfReportedMs, cpu: first.startCpu },
    firstShutdownMs: firstStop.ms,
    coldExisting: { runs, cpu: startCpus, median: sorted[Math.floor(sorted.length / 2)]!, max: sorted[sorted.length - 1]! },
    shutdowns,
    finalShutdownMs: finalStop.ms,
    load,
    sessionPath,
    pageBytes,
    memory,
    memoryIdle,
    connections: CONNECTIONS,
    durationS: DURATION_S,
    totalS: (performance.now() - benchStart) / 1000,
  };

  console.log(`\n${startupTable(figures)}\n\n${loadTable(figures)}\n\n${goalsTable(figures)}\n\n${memoryTable(figures)}\n`);
  const rt = ratio(figures);
  const rtu = ratioUncached(figures);
  if (rt < 0.5) console.log(`MISS: /calendar reaches only ${rt.toFixed(2)} of /healthz's req/s (goal ≥ 0.5).`);
  if (rtu < 0.5) console.log(`MISS without the page cache: /calendar reaches ${rtu.toFixed(2)} of /healthz's req/s (goal ≥ 0.5).`);
  const noisy = worstBackground(figures);
  if (noisy >= 0.2)
    console.log(
      `NOTE: other processes used up to ${noisy.toFixed(2)} cores during the run; figures are depressed (rerun when the machine is quiet, e.g. with --wait-idle).`,
    );
  return figures;
}

async function benchRush(): Promise<RushFigures> {
  await quiet();
  rushStarted = true;
  const rush = await runRush(root, log, quiet);
  if (rush.model) console.log(`\nSignup rush, model layer (64 clients) beside the hot-row floor:\n\n${rushModelTable(rush)}\n`);
  if (rush.http) console.log(`Signup rush over HTTP (200 clients):\n\n${rushHttpTable(rush)}\n`);
  if (!rush.skipped) console.log(`${rushGoalsTable(rush)}\n`);
  const v = rushVerdicts(rush);
  if (v && !v.ratioOk) console.log(`MISS: signUp reaches ${v.ratio.toFixed(2)} of the hot-row floor's ops/s (goal ≥ 0.5).`);
  if (v && !v.p99Ok) console.log(`MISS: signUp p99 is ${v.signup.p99.toFixed(1)} ms (goal ≤ 250 ms).`);
  if (rush.modelError) console.log(`FAILED: model-layer rush: ${rush.modelError}`);
  if (rush.httpError) console.log(`FAILED: HTTP rush: ${rush.httpError.split("\n")[0]}`);
  return rush;
}

async function benchFeeds(): Promise<{ section: string; failed: boolean }> {
  await quiet();
  const feeds = await runFeeds(root, log);
  const section = feedsMarkdown(feeds);
  const v = feedsVerdicts(feeds);
  console.log(`\n${section}`);
  if (!v.ratioOk) console.log(`MISS: a cold feed build is ${v.ratio.toFixed(1)}× the hand-written floor (goal ≤ 3×).`);
  if (!v.cachedOk) console.log(`MISS: a cached feed answer's p95 is ${v.cachedWorst.toFixed(1)} ms (goal ≤ 5 ms).`);
  return { section, failed: feeds.httpError !== undefined };
}

/** A hand-written paragraph (a profile) of the last run's section, kept beside the new figures. */
function previousParagraph(doc: string, opening: string): string | undefined {
  const start = doc.indexOf(`\n${opening}`);
  if (start < 0) return undefined;
  const end = doc.indexOf("\n\n", start + 1);
  return doc.slice(start + 1, end < 0 ? undefined : end);
}

async function main(): Promise<number> {
  const when = new Date().toISOString();
  const out = path.join(root, "docs/benchmarks.md");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  let doc = fs.existsSync(out) ? fs.readFileSync(out, "utf8") : "# Hearth benchmarks\n";
  let failed = false;
  // The feeds' HTTP part and the roster grid serve the production build too.
  const buildNote = WITH_PAGES || WITH_FEEDS || WITH_GRID || WITH_SIGNED_IN ? ensureBuild() : "";
  if (WITH_PAGES) {
    const figures = await benchPages(when, buildNote);
    doc = keepSections(markdown(figures), doc);
  }
  if (WITH_RUSH) {
    const rush = await benchRush();
    doc = spliceRushSection(doc, rushMarkdown(rush));
    // A part of the rush that could not run at all fails the bench; a missed goal does not.
    failed ||= Boolean(rush.modelError || rush.httpError);
  }
  if (WITH_FEEDS) {
    const feeds = await benchFeeds();
    doc = spliceSection(doc, "Calendar feeds", feeds.section);
    failed ||= feeds.failed;
  }
  if (WITH_MAIL) {
    await quiet();
    const mail = await runMail(root, log);
    const section = mailMarkdown(mail);
    console.log(`\n${section}`);
    doc = spliceSection(doc, "Mail", section);
    failed ||= mail.error !== undefined;
  }
  if (WITH_SUGGEST) {
    await quiet();
    const run = await runRosterSuggest(root, log);
    const section = rosterSuggestSection(run);
    console.log(`\n${section}`);
    for (const v of rosterSuggestVerdicts(run))
      if (!v.ok) console.log(`MISS: the suggestion for ${v.month} takes ${v.totalMs.toFixed(1)} ms (goal ≤ 1 s).`);
    doc = spliceSection(doc, "Roster suggestion", section);
  }
  if (WITH_GRID) {
    const grid = await runRosterGrid(root, { buildNote, connections: CONNECTIONS, durationS: DURATION_S, log, quiet });
    // A profile of the grid, when one was taken by hand, is kept beside the new figures.
    const section = rosterGridMarkdown(grid, previousParagraph(doc, "**What the grid's time is made of.**"));
    console.log(`\n${section}`);
    const v = rosterGridVerdict(grid);
    if (!v.ok) console.log(`MISS: the roster grid reaches ${v.ratio.toFixed(2)} of /healthz's req/s (goal ≥ 0.3).`);
    doc = spliceSection(doc, "Roster grid", section);
  }
  if (WITH_REPORT) {
    await quiet();
    const desk = await runDeskReport(log);
    const m = machine();
    const section = deskReportMarkdown(desk, `${m.cpu}, ${m.cores} cores, ${m.memory}, Node ${m.node}`);
    console.log(`\n${section}`);
    for (const r of desk.results)
      if (r.report.median > REPORT_GOAL_MS)
        console.log(`MISS: the month report takes ${r.report.median.toFixed(1)} ms on ${r.backend} (goal ≤ ${REPORT_GOAL_MS} ms).`);
    for (const r of desk.results)
      if (r.tally.counted !== r.tally.taps) console.log(`FAILED: the tally lost ${r.tally.taps - r.tally.counted} taps on ${r.backend}.`);
    doc = spliceSection(doc, "Front desk", section);
    failed ||= desk.errors.length > 0 || desk.results.some((r) => r.tally.counted !== r.tally.taps);
  }
  if (WITH_SIGNED_IN) {
    const f = await runSignedIn(root, { connections: CONNECTIONS, durationS: DURATION_S, log, quiet });
    const m = machine();
    const machineLine = `${m.cpu}, ${m.cores} cores, ${m.memory}, Node ${m.node}; commit \`${gitCommit(root)}\`; build: ${buildNote}`;
    const section = signedInMarkdown(f, machineLine, previousParagraph(doc, "**Where a signed-in page's time goes.**"));
    console.log(`\n${section}`);
    const v = signedInVerdicts(f);
    if (v.month < SIGNED_IN_GOALS.month)
      console.log(`MISS: the signed-in month reaches ${v.month.toFixed(2)} of /healthz's req/s (goal ≥ ${SIGNED_IN_GOALS.month}).`);
    if (v.session < SIGNED_IN_GOALS.session)
      console.log(`MISS: the signed-in session page reaches ${v.session.toFixed(2)} of /healthz's req/s (goal ≥ ${SIGNED_IN_GOALS.session}).`);
    if (!v.warmOk) console.log(`MISS: a warm npm start takes ${(v.warm / 1000).toFixed(2)} s (goal ≤ 3 s).`);
    doc = spliceSection(doc, "Signed-in pages, start-up and memory", section);
  }
  if (WITH_PAGE_CACHE) {
    await quiet();
    const f = await runPageCache(log);
    const m = machine();
    // The render it saves, as the pages' section last measured it.
    const render = /a render costs ([\d.]+) ms of server CPU/.exec(doc)?.[1];
    const section = pageCacheMarkdown(
      f,
      `${m.cpu}, ${m.cores} cores, ${m.memory}, Node ${m.node}; commit \`${gitCommit(root)}\``,
      render ? Number(render) : undefined,
    );
    console.log(`\n${section}`);
    doc = spliceSection(doc, "Page cache", section);
  }
  if (WITH_IMPORT) {
    await quiet();
    const f = await runCareImport(log);
    const m = machine();
    const section = careImportMarkdown(f, `${m.cpu}, ${m.cores} cores, ${m.memory}, Node ${m.node}; commit \`${gitCommit(root)}\``);
    console.log(`\n${section}`);
    for (const r of f.results) {
      if (r.commitMs > IMPORT_GOAL_MS)
        console.log(`MISS: the import takes ${(r.commitMs / 1000).toFixed(1)} s on ${r.backend} (goal ≤ ${IMPORT_GOAL_MS / 1000} s).`);
      if (r.writtenAgain !== 0) console.log(`FAILED: importing the same file again wrote ${r.writtenAgain} rows on ${r.backend}.`);
    }
    failed ||= f.errors.length > 0 || f.results.some((r) => r.writtenAgain !== 0);
    doc = spliceSection(doc, "Household import", section);
  }
  if (WITH_INSTANCES) {
    await quiet();
    rushStarted = true;
    const f = await runInstances(root, log);
    const m = machine();
    const section = instancesMarkdown(f, `${m.cpu}, ${m.cores} cores, ${m.memory}, Node ${m.node}; commit \`${gitCommit(root)}\``);
    console.log(`\n${section}`);
    failed ||= !instancesCorrect(f);
    doc = spliceSection(doc, "Several instances", section);
  }
  if (WITH_RUSH_PGLITE) {
    await quiet();
    const f = await runPgliteRush(root, log, { thread: PGLITE_THREAD });
    const m = machine();
    const section = pgliteRushMarkdown(f, `${m.cpu}, ${m.cores} cores, ${m.memory}, Node ${m.node}; commit \`${gitCommit(root)}\``);
    console.log(`\n${section}`);
    failed ||= !pgliteRushCorrect(f);
    doc = spliceSection(doc, "Signup rush on the embedded database", section);
  }
  fs.writeFileSync(out, doc);
  log(`wrote ${path.relative(root, out)}${ONLY ? ` (--only=${ONLY})` : ""}`);
  return failed ? 1 : 0;
}

main()
  .then((code) => {
    cleanup();
    process.exit(code);
  })
  .catch((error: unknown) => {
    console.error("[bench] failed:", error instanceof Error ? error.message : error);
    cleanup();
    process.exit(1);
  });
