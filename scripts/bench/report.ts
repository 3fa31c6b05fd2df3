/** Machine facts and the Markdown report for docs/benchmarks.md. */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import type { CpuShare } from "./cpu";
import type { LoadResult } from "./load";

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
    const status = execFileSync("git", ["--no-optional-locks", "status", "--porcelain"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
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
    ["Cold start, empty DATA_DIR (migrate + seed) → first 200 on /calendar", s(f.coldEmpty.readyMs), "≤ 10 s", verdict(f.coldEmpty.readyMs <= GOALS.coldEmptyMs), ...cpuCells(f.coldEmpty.cpu)],
    ["Shutdown after SIGTERM (seeded server)", s(f.firstShutdownMs), "≤ 5 s", verdict(f.firstShutdownMs <= GOALS.shutdownMs), "", ""],
    [`Cold start, existing DATA_DIR → first 200 on /calendar, median of ${runs.length}`, s(f.coldExisting.median), "≤ 3 s", verdict(f.coldExisting.median <= GOALS.coldExistingMs), ...cpuCells(cpu[medianRun])],
    [`Cold start, existing DATA_DIR, max of ${runs.length} (${runs.map((r) => (r / 1000).toFixed(2)).join(" / ")} s)`, s(f.coldExisting.max), "≤ 3 s", verdict(f.coldExisting.max <= GOALS.coldExistingMs), ...cpuCells(cpu[maxRun])],
    [`Shutdown after SIGTERM, worst of all ${f.shutdowns.length + 2} stops (incl. after load)`, s(maxShutdown), "≤ 5 s", verdict(maxShutdown <= GOALS.shutdownMs), "", ""],
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
      ["Month page vs floor, every request rendered (page cache off)", ratioUncached(f).toFixed(2), "≥ 0.50", verdict(ratioUncached(f) >= GOALS.ratio)],
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
  return Math.max(f.background.atStart, f.coldEmpty.cpu.other, ...f.coldExisting.cpu.map((c) => c.other), ...Object.values(f.load).map((r) => r.cpu.other));
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
\`\`\`

The bench writes this file and prints the same tables. It needs nothing running and leaves nothing behind: every server it starts uses a fresh temporary \`DATA_DIR\` and a free port on 127.0.0.1, and is stopped (SIGKILL as a last resort) when the bench ends or fails.

## Notes on method

- The server is the real production entry, \`node --import tsx server.ts\` with \`NODE_ENV=production\`, the embedded PGlite database (\`DATABASE_URL\` is unset for it) and the demo community seeded on the first start.
- Start times are wall time from \`spawn()\` to the first 200 from \`GET /calendar\`, polled every 50 ms, so they include Node and tsx start-up, migrations, (on the first start) seeding, and the first server render. Shutdown is from SIGTERM to the process having exited.
- The three "existing DATA_DIR" starts reuse the seeded directory; each is stopped with SIGTERM before the next. The third stays up for the load runs, and its RSS is read from \`/proc/<pid>/status\` (VmRSS now, VmHWM peak).
- All traffic is loopback (127.0.0.1). autocannon runs in the bench's own Node process on the same machine as the server: with ${f.machine.cores} cores shared between load generator and server, absolute requests/s are pessimistic and latencies include queueing behind the load generator. The ratio to \`/healthz\` (the same server's trivial route, measured in the same run) is the figure that is comparable between machines and runs.
- "Server CPU" is the server process's CPU time over the phase (from \`/proc/<pid>/stat\`; in cores, 1.00 = one core saturated); "Other processes" is what the rest of the machine used meanwhile (from \`/proc/stat\`, minus the server and the bench). A server at ~1 core is saturated: Node renders and PGlite executes queries on the same single thread.
- "Server CPU per request" is the server's CPU time over the run divided by the requests completed. It barely depends on how busy the rest of the machine is, so the CPU-based ratio is a cross-check of the req/s ratio when the machine was shared.
- Anonymous public pages are served from a short page cache (\`PAGE_CACHE_SECONDS\`, default 10 s; emptied by any write through the process), so "as served" measures the cache; the "(page cache off)" rows come from a second server on the same data with \`PAGE_CACHE_SECONDS=0\` and measure the real render.
- \`/healthz\` goes through the same Express + Remix request handler but touches no database, so it is the floor for the framework's own cost per request; the gap to \`/calendar\` is the month page's loader (queries in PGlite, date formatting) and its server render.
`;
}
