/** Machine facts and the Markdown report for docs/benchmarks.md. */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import type { CpuShare } from "./cpu";
import type { LoadResult } from "./load";
import type { RushFigures } from "./rush";

export interface Machine {
  cpu: string;
  cores: number;
  memory: string;
  node: string;
  os: string;
}

export function machine(): Machine {
  let distro = "";
  try {
    distro = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(fs.readFileSync("/etc/os-release", "utf8"))?.[1] ?? "";
  } catch {
    // Not Linux, or no os-release: the kernel line below is enough.
  }
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    os: [distro, `${os.type()} ${os.release()} ${os.arch()}`].filter(Boolean).join(", "),
  };
}

/** Short commit, "+dirty" when the working tree has changes. Read-only: takes no index lock. */
export function gitCommit(root: string): string {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const status = execFileSync("git", ["--no-optional-locks", "status", "--porcelain"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    return sha + (status.trim() ? "+dirty" : "");
  } catch {
    return "unknown (not a git checkout)";
  }
}

export const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const cores = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)} cores` : "n/a");
export const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : "–");
const verdict = (ok: boolean) => (ok ? "PASS" : "**MISS**");

export interface Figures {
  when: string;
  machine: Machine;
  commit: string;
  buildNote: string;
  background: { atStart: number; waitedS: number };
  coldEmpty: { readyMs: number; selfReportedMs?: number; cpu: CpuShare };
  firstShutdownMs: number;
  coldExisting: { runs: number[]; cpu: CpuShare[]; median: number; max: number };
  shutdowns: number[];
  finalShutdownMs: number;
  load: {
    healthz: LoadResult;
    calendar: LoadResult;
    week: LoadResult;
    session: LoadResult;
    calendarUncached: LoadResult;
    weekUncached: LoadResult;
    sessionUncached: LoadResult;
  };
  sessionPath: string;
  pageBytes: Record<string, number>;
  memory: { rssMiB: number; hwmMiB: number } | null;
  memoryIdle: { rssMiB: number; hwmMiB: number } | null;
  connections: number;
  durationS: number;
  totalS: number;
}

export const GOALS = { coldEmptyMs: 10_000, coldExistingMs: 3_000, shutdownMs: 5_000, ratio: 0.5 };

export function ratio(f: Figures) {
  return f.load.calendar.rps / f.load.healthz.rps;
}

/** The ratio with the anonymous page cache off: every request renders. */
export function ratioUncached(f: Figures) {
  return f.load.calendarUncached.rps / f.load.healthz.rps;
}

/** The server's CPU time per completed request, in ms. */
export const cpuPerRequest = (r: LoadResult) => r.cpu.serverMs / r.requests;

/** The same ratio from CPU cost per request: what the req/s ratio would be with the server saturating one core. */
export function cpuRatio(f: Figures) {
  return cpuPerRequest(f.load.healthz) / cpuPerRequest(f.load.calendarUncached);
}

export function startupTable(f: Figures): string {
  const maxShutdown = Math.max(f.firstShutdownMs, f.finalShutdownMs, ...f.shutdowns);
  const { runs, cpu } = f.coldExisting;
  const order = runs.map((_, i) => i).sort((a, b) => runs[a]! - runs[b]!);
  const medianRun = order[Math.floor(order.length / 2)]!;
  const maxRun = order[order.length - 1]!;
  const cpuCells = (c: CpuShare | undefined) => (c ? [`${(c.serverMs / 1000).toFixed(2)} s`, cores(c.other)] : ["", ""]);
  const rows = [
    [
      "Cold start, empty DATA_DIR (migrate + seed) → first 200 on /calendar",
      s(f.coldEmpty.readyMs),
      "≤ 10 s",
      verdict(f.coldEmpty.readyMs <= GOALS.coldEmptyMs),
      ...cpuCells(f.coldEmpty.cpu),
    ],
    ["Shutdown after SIGTERM (seeded server)", s(f.firstShutdownMs), "≤ 5 s", verdict(f.firstShutdownMs <= GOALS.shutdownMs), "", ""],
    [
      `Cold start, existing DATA_DIR → first 200 on /calendar, median of ${runs.length}`,
      s(f.coldExisting.median),
      "≤ 3 s",
      verdict(f.coldExisting.median <= GOALS.coldExistingMs),
      ...cpuCells(cpu[medianRun]),
    ],
    [
      `Cold start, existing DATA_DIR, max of ${runs.length} (${runs.map((r) => (r / 1000).toFixed(2)).join(" / ")} s)`,
      s(f.coldExisting.max),
      "≤ 3 s",
      verdict(f.coldExisting.max <= GOALS.coldExistingMs),
      ...cpuCells(cpu[maxRun]),
    ],
    [
      `Shutdown after SIGTERM, worst of all ${f.shutdowns.length + 2} stops (incl. after load)`,
      s(maxShutdown),
      "≤ 5 s",
      verdict(maxShutdown <= GOALS.shutdownMs),
      "",
      "",
    ],
  ];
  return table(["Measure", "Result", "Goal", "Verdict", "Server CPU", "Other processes"], rows);
}

export function loadTable(f: Figures): string {
  const keys = ["healthz", "calendar", "week", "session", "calendarUncached", "weekUncached", "sessionUncached"] as const;
  const rows = keys.map((k) => {
    const r = f.load[k];
    const bytes = f.pageBytes[r.path];
    return [
      `GET ${r.path}${k.endsWith("Uncached") ? " (page cache off)" : ""}`,
      Math.round(r.rps).toLocaleString("en-US"),
      ms(r.p50),
      ms(r.p95),
      ms(r.p99),
      bytes === undefined ? "–" : bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`,
      String(r.errors + r.timeouts),
      String(r.non2xx),
      cores(r.cpu.server),
      ms(cpuPerRequest(r)),
      cores(r.cpu.bench),
      cores(r.cpu.other),
    ];
  });
  return table(
    ["Route", "req/s", "p50", "p95", "p99", "Body", "Errors", "Non-2xx", "Server CPU", "Server CPU per request", "autocannon CPU", "Other processes"],
    rows,
    [false, true, true, true, true, true, true, true, true, true, true, true],
  );
}

export function goalsTable(f: Figures): string {
  const rt = ratio(f);
  const bad = Object.values(f.load).reduce((n, r) => n + r.errors + r.timeouts + r.non2xx, 0);
  return table(
    ["Measure", "Result", "Goal", "Verdict"],
    [
      ["Month page vs floor, as served (page cache on): /calendar req/s ÷ /healthz req/s", rt.toFixed(2), "≥ 0.50", verdict(rt >= GOALS.ratio)],
      [
        "Month page vs floor, every request rendered (page cache off)",
        ratioUncached(f).toFixed(2),
        "≥ 0.50",
        verdict(ratioUncached(f) >= GOALS.ratio),
      ],
      ["(for comparison) the uncached ratio from server CPU per request: /healthz ms ÷ /calendar ms", cpuRatio(f).toFixed(2), "", "(informative)"],
      ["Errors + timeouts + non-2xx over all seven runs", String(bad), "0", verdict(bad === 0)],
    ],
  );
}

export function memoryTable(f: Figures): string {
  const fmt = (m: { rssMiB: number; hwmMiB: number } | null, k: "rssMiB" | "hwmMiB") => (m ? `${m[k].toFixed(0)} MiB` : "n/a");
  return table(
    ["Server process (`node`)", "VmRSS", "VmHWM (peak)"],
    [
      ["After start, before load", fmt(f.memoryIdle, "rssMiB"), fmt(f.memoryIdle, "hwmMiB")],
      ["After the four load runs", fmt(f.memory, "rssMiB"), fmt(f.memory, "hwmMiB")],
    ],
  );
}

function table(head: string[], rows: string[][], right: boolean[] = []): string {
  const align = head.map((_, i) => (right[i] ? "---:" : "---"));
  return [head, align, ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

/** The most other processes used during any measured phase, in cores. */
export function worstBackground(f: Figures): number {
  return Math.max(
    f.background.atStart,
    f.coldEmpty.cpu.other,
    ...f.coldExisting.cpu.map((c) => c.other),
    ...Object.values(f.load).map((r) => r.cpu.other),
  );
}

export function markdown(f: Figures): string {
  const rt = ratio(f);
  const noisy = worstBackground(f);
  const noise =
    noisy >= 0.2
      ? `\n> **Other processes were busy during this run** (up to ${noisy.toFixed(2)} of ${f.machine.cores} cores in some phase, see the "Other processes" columns): the absolute figures are depressed and noisier than on a quiet machine. Rerun with \`--wait-idle\` when the machine is quiet.\n`
      : "";
  const rtu = ratioUncached(f);
  const ratioSentence =
    (rt >= GOALS.ratio
      ? `As served to anonymous visitors (the page cache on, its default), the month page reaches ${rt.toFixed(2)} of the trivial route's throughput: the goal (≥ 0.5) is met.`
      : `**The ratio goal is missed** even with the page cache: the month page reaches ${rt.toFixed(2)} of the trivial route's throughput (goal ≥ 0.5).`) +
    ` With the cache off — every request rendered, as for a signed-in visitor — it reaches ${rtu.toFixed(2)}${rtu >= GOALS.ratio ? "" : " (**MISS**)"}: a render costs ${ms(cpuPerRequest(f.load.calendarUncached))} of server CPU against ${ms(cpuPerRequest(f.load.healthz))} for the trivial route.`;
  return `# Hearth benchmarks

Measured ${f.when} by \`npm run bench\` (${f.totalS.toFixed(0)} s in all).

## Machine

| | |
| --- | --- |
| CPU | ${f.machine.cpu} |
| Cores | ${f.machine.cores} |
| Memory | ${f.machine.memory} |
| Node | ${f.machine.node} |
| OS | ${f.machine.os} |
| Commit | \`${f.commit}\` |
| Build | ${f.buildNote} |
| Other processes' load at start | ${cores(f.background.atStart)}${f.background.waitedS > 0 ? ` (\`--wait-idle\`: waited ${f.background.waitedS.toFixed(0)} s in all for quiet moments before the measured phases)` : ""} |
${noise}
## Start and stop

${startupTable(f)}

${f.coldEmpty.selfReportedMs !== undefined ? `The server's own "ready in" figure for the empty start was ${s(f.coldEmpty.selfReportedMs)} (from its first line of code to listening; the table's figure also counts Node + tsx start-up and the first render).\n` : ""}
## Throughput and latency

${f.connections} connections, ${f.durationS} s per route, anonymous, \`Accept-Language: zh-CN\`, after a warm-up of a few hundred requests per route. Session page: \`${f.sessionPath}\`. Latencies are per request, in ms; p95 and p99 are computed from every response's time.

${loadTable(f)}

${goalsTable(f)}

${ratioSentence}

## Memory

${memoryTable(f)}

## How to reproduce

\`\`\`sh
npm run bench            # builds first only if build/server/index.js is missing
npm run bench -- --build # force a fresh production build first
npm run bench -- --wait-idle=300  # before each phase, wait until other processes use < 0.2 cores (300 s budget in all)
npm run bench -- --only=rush     # just the signup rush (needs PostgreSQL; replaces only its section here)
npm run bench -- --only=pages    # just the pages (keeps the other parts' sections)
npm run bench -- --only=feeds    # just the calendar feeds (replaces only their section)
npm run bench -- --only=mail     # just the notification mail (PostgreSQL with BENCH_DATABASE_URL, else PGlite)
npm run bench -- --only=roster-suggest  # just the roster suggestion over a month of the demo
npm run bench -- --only=roster-grid     # just the signed-in roster grid beside /healthz (production build)
npm run bench -- --only=signed-in       # the signed-in month, week and session page beside /healthz (PGlite, and PostgreSQL), warm npm start, RSS
npm run bench -- --only=rush-pglite     # the signup rush over HTTP on the embedded database (--pglite-thread=main: in the server's thread)
npm run bench -- --only=report          # the front desk's month report (PGlite, and PostgreSQL)
npm run bench -- --only=page-cache      # the anonymous page cache's own work per request
npm run bench -- --only=instances       # the rush through one server and through two (PostgreSQL)
npm run bench -- --only=import          # a 10,000-row household import
\`\`\`

The bench writes this file and prints the same tables. It needs nothing running and leaves nothing behind: every server it starts uses a fresh temporary \`DATA_DIR\` and a free port on 127.0.0.1, and is stopped (SIGKILL as a last resort) when the bench ends or fails.

## Notes on method

- The server is the real production entry, \`node build/hearth/server.mjs\` as \`npm start\` runs it (no \`NODE_ENV\` given: the entry chooses \`production\`), the embedded PGlite database (\`DATABASE_URL\` is unset for it) and the demo community seeded on the first start.
- Start times are wall time from \`spawn()\` to the first 200 from \`GET /calendar\`, polled every 50 ms, so they include Node's start-up, migrations, (on the first start) seeding, and the first server render. Shutdown is from SIGTERM to the process having exited.
- The three "existing DATA_DIR" starts reuse the seeded directory; each is stopped with SIGTERM before the next. The third stays up for the load runs, and its RSS is read from \`/proc/<pid>/status\` (VmRSS now, VmHWM peak).
- All traffic is loopback (127.0.0.1). autocannon runs in the bench's own Node process on the same machine as the server: with ${f.machine.cores} cores shared between load generator and server, absolute requests/s are pessimistic and latencies include queueing behind the load generator. The ratio to \`/healthz\` (the same server's trivial route, measured in the same run) is the figure that is comparable between machines and runs.
- "Server CPU" is the server process's CPU time over the phase (from \`/proc/<pid>/stat\`; in cores, 1.00 = one core saturated); "Other processes" is what the rest of the machine used meanwhile (from \`/proc/stat\`, minus the server and the bench). The server's main thread renders and is saturated at 1 core; on PGlite the queries run in the database's worker thread (the default, ADR 37), so a busy server can use up to 2.
- "Server CPU per request" is the server's CPU time over the run divided by the requests completed. It barely depends on how busy the rest of the machine is, so the CPU-based ratio is a cross-check of the req/s ratio when the machine was shared.
- Anonymous public pages are served from a short page cache (\`PAGE_CACHE_SECONDS\`, default 10 s; emptied by any write through the process), so "as served" measures the cache; the "(page cache off)" rows come from a second server on the same data with \`PAGE_CACHE_SECONDS=0\` and measure the real render.
- \`/healthz\` goes through the same Express + Remix request handler but touches no database, so it is the floor for the framework's own cost per request; the gap to \`/calendar\` is the month page's loader (queries in PGlite, date formatting) and its server render.
`;
}

// ---------------------------------------------------------------- signup rush

export const RUSH_GOALS = { ratio: 0.5, p99Ms: 250 };

const int = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString("en-US") : "–");
const cpuMs = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)} ms` : "n/a");

/** Model-layer figures: the median runs, the ratio and the verdicts. */
export function rushVerdicts(r: RushFigures) {
  const m = r.model;
  if (!m) return undefined;
  const signup = m.signups[m.medianSignup]!;
  const floor = m.floors[m.medianFloor]!;
  const ratioValue = signup.opsPerS / floor.opsPerS;
  const allEighty = m.signups.every((s) => s.outcome.confirmed === m.capacity && s.outcome.taken === m.capacity);
  const errors = m.signups.reduce((n, s) => n + s.errors, 0) + m.floors.reduce((n, f) => n + f.errors + f.missed, 0);
  return { signup, floor, ratio: ratioValue, allEighty, errors, ratioOk: ratioValue >= RUSH_GOALS.ratio, p99Ok: signup.p99 <= RUSH_GOALS.p99Ms };
}

export function rushModelTable(r: RushFigures): string {
  const m = r.model!;
  const rows: string[][] = [];
  m.signups.forEach((s, i) => {
    const f = m.floors[i]!;
    const mark = (j: number, median: number) => (j === median ? " (median)" : "");
    rows.push([
      `${i + 1}`,
      `${int(s.opsPerS)}${mark(i, m.medianSignup)}`,
      ms(s.p50),
      ms(s.p95),
      ms(s.p99),
      `${s.outcome.confirmed} / ${s.outcome.waitlisted}`,
      `${s.errors} / ${s.busy}`,
      cpuMs(s.cpu.postgresMsPerOp),
      `${int(f.opsPerS)}${mark(i, m.medianFloor)}`,
      ms(f.p50),
      ms(f.p99),
      cpuMs(f.cpu.postgresMsPerOp),
      `${cores(s.cpu.postgres)} / ${cores(f.cpu.postgres)}`,
      `${cores(s.cpu.other)} / ${cores(f.cpu.other)}`,
    ]);
  });
  return table(
    [
      "Run",
      "signUp calls/s",
      "p50",
      "p95",
      "p99",
      "Confirmed / waitlisted people",
      "Errors / busy",
      "PostgreSQL CPU per signUp",
      "Floor UPDATEs/s",
      "Floor p50",
      "Floor p99",
      "PostgreSQL CPU per UPDATE",
      "PostgreSQL CPU (signUp / floor)",
      "Other processes (signUp / floor)",
    ],
    rows,
    [false, true, true, true, true, true, true, true, true, true, true, true, true, true],
  );
}

export function rushGoalsTable(r: RushFigures): string {
  const rows: string[][] = [];
  const v = rushVerdicts(r);
  if (v && r.model) {
    rows.push([
      `Model layer: signUp calls/s ÷ hot-row UPDATEs/s, medians of ${r.model.signups.length} (${int(v.signup.opsPerS)} ÷ ${int(v.floor.opsPerS)})`,
      v.ratio.toFixed(2),
      "≥ 0.50",
      verdict(v.ratioOk),
    ]);
    rows.push(["Model layer: signUp p99 latency (median run)", ms(v.signup.p99), "≤ 250 ms", verdict(v.p99Ok)]);
    rows.push([
      `Model layer: confirmed people at the end, every run (${r.model.signups.map((s) => s.outcome.confirmed).join(" / ")})`,
      String(v.signup.outcome.confirmed),
      String(r.model.capacity),
      verdict(v.allEighty),
    ]);
    rows.push(["Model layer: errors (signUp failures other than busy, floor failures)", String(v.errors), "0", verdict(v.errors === 0)]);
  }
  const h = r.http;
  if (h) {
    const median = h.runs[h.median]!;
    const all = [h.warmup, ...h.runs];
    const fiveXX = all.reduce((n, x) => n + x.status5xx + x.networkErrors, 0);
    rows.push([
      `HTTP: confirmed people at the end, every run (${h.runs.map((x) => x.outcome.confirmed).join(" / ")})`,
      String(median.outcome.confirmed),
      String(h.capacity),
      verdict(h.runs.every((x) => x.outcome.confirmed === h.capacity && x.outcome.taken === h.capacity)),
    ]);
    rows.push(["HTTP: 5xx answers + requests without an answer, all runs incl. warm-up", String(fiveXX), "0", verdict(fiveXX === 0)]);
    rows.push([
      `HTTP: p99 latency (median run, ${int(median.rps)} signups/s)`,
      ms(median.p99),
      `≤ ${ms(HTTP_P99_GOAL_MS)}`,
      verdict(median.p99 <= HTTP_P99_GOAL_MS),
    ]);
    rows.push(["HTTP: 503 busy answers, all runs (reported, not a goal)", String(all.reduce((n, x) => n + x.busy503, 0)), "", "(informative)"]);
  }
  return table(["Measure", "Result", "Goal", "Verdict"], rows);
}

export function rushHttpTable(r: RushFigures): string {
  const h = r.http!;
  const rows = [h.warmup, ...h.runs].map((x, i) => [
    i === 0 ? `warm-up (${x.requests} requests)` : `${i}${i - 1 === h.median ? " (median)" : ""}`,
    int(x.rps),
    ms(x.p50),
    ms(x.p95),
    ms(x.p99),
    Object.entries(x.statusCounts)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([code, n]) => `${code}: ${n}`)
      .join(", ") + (x.networkErrors ? `, no answer: ${x.networkErrors}` : ""),
    `${x.confirmedResponses} / ${x.waitlistedResponses}`,
    `${x.outcome.confirmed} / ${x.outcome.waitlisted}`,
    String(x.status5xx),
    String(x.busy503),
    `${cores(x.cpu.server)} (${cpuMs(x.cpu.serverMsPerOp)})`,
    `${cores(x.cpu.postgres)} (${cpuMs(x.cpu.postgresMsPerOp)})`,
    cores(x.cpu.bench),
    cores(x.cpu.other),
  ]);
  return table(
    [
      "Run",
      "Signups/s",
      "p50",
      "p95",
      "p99",
      "Status counts",
      "201 confirmed / waitlisted",
      "Confirmed / waitlisted people in the database",
      "5xx",
      "503 busy",
      "Server CPU (per request)",
      "PostgreSQL CPU (per request)",
      "Load generator CPU",
      "Other processes",
    ],
    rows,
    [false, true, true, true, true, false, true, true, true, true, true, true, true, true],
  );
}

export function rushBreakdownTable(r: RushFigures): string {
  return table(
    ["One call at a time (median of 50)", "Wall time"],
    r.model!.breakdown.map((b) => [b.step, ms(b.ms)]),
    [false, true],
  );
}

/** Issue 15's goal for the HTTP rush's p99. */
const HTTP_P99_GOAL_MS = 300;

/**
 * What bounds the HTTP rush's latency, from its own figures. Each client keeps one request in
 * flight, so by Little's law the mean latency is clients ÷ throughput: a p99 goal needs at least
 * clients ÷ goal signups a second, and each signup costs the server and PostgreSQL the CPU measured.
 */
function httpDiagnosis(r: RushFigures): string {
  const h = r.http;
  if (!h) return "";
  const m = h.runs[h.median]!;
  if (m.p99 <= HTTP_P99_GOAL_MS) return "";
  const needed = h.clients / (HTTP_P99_GOAL_MS / 1000);
  const cpuPerSignup = m.cpu.serverMsPerOp + m.cpu.postgresMsPerOp;
  const serverCeiling = 1000 / m.cpu.serverMsPerOp;
  return (
    `**What bounds the HTTP latency.** Each of the ${h.clients} clients keeps one request in flight, so the mean latency is clients ÷ throughput (Little's law): ${ms((h.clients / m.rps) * 1000)} at the median run's ${int(m.rps)} signups/s, and no p99 can be below the mean. A p99 of ${ms(HTTP_P99_GOAL_MS)} needs at least ${int(needed)} signups/s. ` +
    `A signup cost the server ${cpuMs(m.cpu.serverMsPerOp)} and PostgreSQL ${cpuMs(m.cpu.postgresMsPerOp)} of CPU, ${cpuMs(cpuPerSignup)} in all: ${int(needed)} a second would take ${((needed * cpuPerSignup) / 1000).toFixed(1)} cores, on a machine of ${os.cpus().length} that also runs the load generator, and one server process (one thread) tops out near ${int(serverCeiling)} a second at its cost. ` +
    `So the goal is out of reach on this machine at this cost; it needs a cheaper signup request or more cores with more server processes (the "Several instances" section).\n`
  );
}

/** What the figures say limits the model-layer rush, in plain words (only when a goal is missed). */
function rushDiagnosis(r: RushFigures): string {
  const v = rushVerdicts(r);
  if (!v || (v.ratioOk && v.p99Ok)) return "";
  const s = v.signup.cpu;
  const f = v.floor.cpu;
  const costRatio = f.postgresMsPerOp / s.postgresMsPerOp;
  const n = os.cpus().length;
  const busy = Math.max(s.postgres + s.bench + s.other, f.postgres + f.bench + f.other);
  const saturated = busy >= 0.85 * n;
  const lines = [
    `**What limits it.** In the median runs PostgreSQL used ${cores(s.postgres)} during the signUp rush and ${cores(f.postgres)} during the floor, of the machine's ${n} (the load generator ${cores(s.bench)} / ${cores(f.bench)}, other processes ${cores(s.other)} / ${cores(f.other)}).`,
    saturated
      ? `The machine's CPU is saturated in both, so throughput is set by the CPU each operation costs, not by waiting for commits to reach the disk, and the throughput ratio follows the cost ratio: a signUp costs PostgreSQL ${cpuMs(s.postgresMsPerOp)} of CPU, the bare UPDATE ${cpuMs(f.postgresMsPerOp)} (cost ratio ${Number.isFinite(costRatio) ? costRatio.toFixed(2) : "n/a"} against the throughput ratio ${v.ratio.toFixed(2)}).`
      : `The CPU is not saturated (at most ${busy.toFixed(2)} of ${n} cores busy), so waiting — on the row lock and the commit that holds it — rather than CPU sets the pace; a signUp costs PostgreSQL ${cpuMs(s.postgresMsPerOp)} of CPU, the bare UPDATE ${cpuMs(f.postgresMsPerOp)}.`,
    `What a signUp does per call: a read to check that the coordinator may book for this person, then the one signup statement, parsed and planned anew each time; under the lock it reads and updates the session row and inserts the signup (5 indexes), its jsonb audit row and its mail rows (the confirmation or waitlist notice, and the reminders of a confirmed place) — while the other ${r.model!.clients - 1} backends wait on that one row, are woken, re-check it (READ COMMITTED re-evaluation) and walk its growing chain of row versions, which makes each operation dearer the more clients wait.`,
    `Latency follows from the queue: ${r.model!.clients} clients on one row that comes free ${int(v.signup.opsPerS)} times a second wait about ${ms((r.model!.clients / v.signup.opsPerS) * 1000)} on average, and the wait for a row lock is not strictly first come, first served, so the tail (p99 ${ms(v.signup.p99)}) is several times the median (${ms(v.signup.p50)}).`,
  ];
  return `${lines.join(" ")}\n`;
}

/** The most other processes used during any measured rush run, in cores. */
export function rushBackground(r: RushFigures): number {
  const runs = [...(r.model?.signups ?? []), ...(r.model?.floors ?? []), ...(r.http?.runs ?? [])];
  return Math.max(Number.isFinite(r.backgroundAtStart) ? r.backgroundAtStart : 0, ...runs.map((x) => x.cpu.other));
}

export function rushMarkdown(r: RushFigures): string {
  if (r.skipped)
    return `## Signup rush\n\nSkipped: ${r.skipped}. The rush needs PostgreSQL (\`BENCH_DATABASE_URL\`, default \`postgres://postgres@127.0.0.1:5432/postgres\`); CI has it.\n`;
  const parts: string[] = [`## Signup rush\n`];
  const pgSettings = r.postgres
    ? Object.entries(r.postgres.settings)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ")
    : "";
  parts.push(
    `Measured ${r.when} (${r.totalS.toFixed(0)} s) on PostgreSQL ${r.postgres?.version ?? "?"} running on the same machine (${pgSettings}). One session with 80 places, parties of 1, 2,000 distinct people trying for them. **The machine has ${os.cpus().length} cores, shared by the load generator, the server and PostgreSQL** (and by whatever else runs: see the "Other processes" columns; ${cores(r.backgroundAtStart)} just before the rush).\n`,
  );
  const noisy = rushBackground(r);
  if (noisy >= 0.2) {
    parts.push(
      `> **Other processes were busy during the rush** (up to ${noisy.toFixed(2)} of ${os.cpus().length} cores in some run, see the "Other processes" columns): PostgreSQL, the server and the load generator got less CPU than on a quiet machine, so throughput is depressed and latency inflated. The ratio to the floor, measured in the same minutes, suffers less. Rerun with \`--wait-idle\` when the machine is quiet.\n`,
    );
  }
  if (r.model) {
    const m = r.model;
    parts.push(`### At the model layer, beside the physical floor\n`);
    parts.push(
      `${m.clients} concurrent clients (one pg pool of ${m.poolSize} connections, \`lock_timeout\` ${m.lockTimeoutMs} ms), each taking the next person and calling \`signUp(db, {stationId, actor: coordinator}, {sessionId, personId, partySize: 1})\` until all ${int(m.people)} are done. The **floor** is the same ${m.clients} clients on the same pool running ${int(m.floorStatements)} bare \`UPDATE bench_floor SET taken = taken + 1 WHERE id = $1 AND taken < capacity\` on one row that never fills: one hot row and one commit per operation, nothing else. After a warm-up of each, ${m.signups.length} runs of each, alternating which goes first, each signUp run on a fresh session; the median run (by throughput) of each is compared. Latency is per call, from the call to its result, in ms.\n`,
    );
    parts.push(rushModelTable(r) + "\n");
  } else if (r.modelError) {
    parts.push(`### At the model layer\n\n**Failed:** ${r.modelError}\n`);
  }
  if (r.http) {
    const h = r.http;
    parts.push(`### Over HTTP\n`);
    parts.push(
      `The production build (${h.buildNote}), served by \`node build/hearth/server.mjs\` as \`npm start\` runs it (no \`NODE_ENV\` given: the entry chooses \`production\`), \`DATABASE_URL\` on a fresh database, \`DATABASE_POOL_SIZE=${h.poolSize}\`, \`LOCK_TIMEOUT_MS\` ${h.lockTimeoutMs}, \`PAGE_CACHE_SECONDS=0\` and the demo community seeded on start (ready after ${s(h.startMs)}). Measured path: ${h.path}; the token came from ${h.tokenFrom}. ${h.clients} concurrent clients (keep-alive connections, one request in flight each) send \`{"personId": <id>, "partySize": 1}\` for ${int(h.requests)} distinct people; after a warm-up on its own session, ${h.runs.length} runs, each on a fresh session with ${h.capacity} places. Latency is per request, from sending it to the end of the answer, in ms. SIGTERM stopped the server in ${s(h.stopMs)}.\n`,
    );
    parts.push(rushHttpTable(r) + "\n");
    if (h.serverErrors.length) parts.push(`The server logged during the rush:\n\n\`\`\`\n${h.serverErrors.join("\n")}\n\`\`\`\n`);
  } else if (r.httpError) {
    parts.push(`### Over HTTP\n\n**Not measured:** ${r.httpError.split("\n")[0]}\n`);
  }
  parts.push(`### Goals\n`);
  parts.push(rushGoalsTable(r) + "\n");
  const diagnosis = rushDiagnosis(r);
  if (diagnosis) parts.push(diagnosis);
  const httpBound = httpDiagnosis(r);
  if (httpBound) parts.push(httpBound);
  if (r.model)
    parts.push(
      `Where one signUp's time goes with no other client running (its statements timed at the driver as \`signUp\` sends them, on a full session):\n\n${rushBreakdownTable(r)}\n`,
    );
  parts.push(
    `Run just this part with \`npm run bench -- --only=rush\` (it then replaces only this section of this file). All CPU figures are from \`/proc\`: "PostgreSQL" sums every \`postgres\` process, "Other processes" is the rest of the machine minus PostgreSQL, the server and the bench's own process (the load generator).\n`,
  );
  return parts.join("\n");
}

/** Puts the rush section into an existing benchmarks file: replaces it, or inserts it before "How to reproduce". */
export function spliceRushSection(doc: string, section: string): string {
  const start = doc.indexOf("\n## Signup rush\n");
  if (start >= 0) {
    const next = doc.indexOf("\n## ", start + 1);
    return doc.slice(0, start + 1) + section + (next >= 0 ? "\n" + doc.slice(next + 1) : "");
  }
  const anchor = doc.indexOf("\n## How to reproduce");
  if (anchor >= 0) return doc.slice(0, anchor + 1) + section + "\n" + doc.slice(anchor + 1);
  return `${doc.trimEnd()}\n\n${section}`;
}
