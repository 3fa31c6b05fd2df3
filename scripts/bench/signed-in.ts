/**
 * The pages people book from, as they see them: signed in, so never from the anonymous page
 * cache. Beside /healthz on the same server in the same minutes: the month calendar, the week,
 * the session page, on PGlite (the default) and the month on PostgreSQL. Also the warm
 * `npm start` (built, data present) → first 200, and the server's RSS after start.
 *
 *   npm run bench -- --only=signed-in
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { DEMO_LOGINS } from "../../demo/community";
import { backgroundLoad } from "./cpu";
import { HEADERS, runLoad, type LoadResult } from "./load";
import { freePort, HOST, readMemory, startServer, stopServer, type RunningServer } from "./server-process";
import { createBenchDatabase, dropBenchDatabase, postgresProblem } from "./rush-db";
import { measureMemoryParts, memoryPartsMarkdown, type MemoryParts } from "./memory-parts";

export const SIGNED_IN_GOALS = { month: 0.3, session: 0.5, week: 0.3 } as const;
export const WARM_START_GOAL_MS = 3000;
export const RSS_GOAL_MIB = 300;

type Key = "healthz" | "month" | "week" | "session";
export interface SignedInRun {
  database: string;
  paths: Record<Key, string>;
  load: Partial<Record<Key, LoadResult>>;
  bytes: Partial<Record<Key, number>>;
}
export interface SignedInFigures {
  when: string;
  totalS: number;
  backgroundAtStart: number;
  warmStarts: { ms: number; log: string }[];
  rssAfterStart: { rssMiB: number; hwmMiB: number } | null;
  rssAfterLoad: { rssMiB: number; hwmMiB: number } | null;
  /** What holds the RSS after start: Node alone, PGlite alone, the server's parts. */
  memoryParts: MemoryParts;
  pglite: SignedInRun;
  postgres?: SignedInRun;
  postgresSkipped?: string;
  connections: number;
  durationS: number;
}

/** Signs in through the login form as the demo resident; returns the Cookie header to send. */
async function signIn(base: string): Promise<string> {
  const email = DEMO_LOGINS.accounts.find((a) => a.role === "resident")!.email;
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { ...HEADERS, "content-type": "application/x-www-form-urlencoded", origin: base },
    body: new URLSearchParams({ login: email, password: DEMO_LOGINS.password, redirectTo: "/calendar" }).toString(),
    signal: AbortSignal.timeout(10_000),
  });
  await res.arrayBuffer();
  const cookies = res.headers.getSetCookie().map((c) => c.split(";", 1)[0]!);
  if (res.status !== 302 || cookies.length === 0) throw new Error(`POST /login as ${email} answered ${res.status} without a session cookie`);
  return cookies.join("; ");
}

async function get(url: string, cookie?: string): Promise<{ status: number; body: string; bytes: number }> {
  const res = await fetch(url, { headers: { ...HEADERS, ...(cookie ? { cookie } : {}) }, signal: AbortSignal.timeout(10_000) });
  const buffer = Buffer.from(await res.arrayBuffer());
  return { status: res.status, body: buffer.toString("utf8"), bytes: buffer.length };
}

/** `npm start` on a built tree and a seeded DATA_DIR, from spawn to the first 200 on /calendar. */
async function warmNpmStart(root: string, dataDir: string): Promise<{ ms: number; log: string }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, HOST, PORT: String(port), DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  delete env.NODE_OPTIONS;
  const t0 = performance.now();
  // Its own process group: npm, the build check and the server are stopped together.
  const child = spawn("npm", ["start", "--silent"], { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}) before serving /calendar:\n${output}`);
      if (performance.now() - t0 > 120_000) throw new Error(`npm start did not serve /calendar within 120 s:\n${output}`);
      try {
        const res = await fetch(`http://${HOST}:${port}/calendar`, { signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        if (res.status === 200) return { ms: performance.now() - t0, log: output };
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
  } finally {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // already gone
    }
    await Promise.race([exited, sleep(10_000)]);
  }
}

async function measureServer(
  server: RunningServer,
  database: string,
  opts: { connections: number; durationS: number; keys: Key[]; log: (m: string) => void; quiet: () => Promise<unknown> },
): Promise<SignedInRun> {
  const cookie = await signIn(server.base);
  const month = await get(`${server.base}/calendar`, cookie);
  if (month.status !== 200 || !month.body.includes("/logout")) throw new Error(`signed-in GET /calendar answered ${month.status} or not signed in`);
  const id = /\/sessions\/(\d+)/.exec(month.body)?.[1];
  if (!id) throw new Error("no /sessions/<id> link on the month page: is the demo seeded?");
  const paths: Record<Key, string> = { healthz: "/healthz", month: "/calendar", week: "/calendar/week", session: `/sessions/${id}` };
  const run: SignedInRun = { database, paths, load: {}, bytes: {} };
  for (const key of opts.keys) {
    const page = await get(server.base + paths[key], cookie);
    if (page.status !== 200) throw new Error(`signed-in GET ${paths[key]} answered ${page.status}`);
    run.bytes[key] = page.bytes;
    await runLoad(server.base + paths[key], { connections: 10, amount: 300, serverPid: server.pid, headers: { cookie } });
  }
  for (const key of opts.keys) {
    await opts.quiet();
    const r = await runLoad(server.base + paths[key], {
      connections: opts.connections,
      duration: opts.durationS,
      serverPid: server.pid,
      headers: { cookie },
    });
    run.load[key] = r;
    opts.log(
      `  ${database} ${paths[key].padEnd(14)} ${Math.round(r.rps).toString().padStart(6)} req/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  ` +
        `non-2xx ${r.non2xx}  errors ${r.errors + r.timeouts}  server ${r.cpu.server.toFixed(2)} cores  other ${r.cpu.other.toFixed(2)} cores`,
    );
  }
  return run;
}

export async function runSignedIn(
  root: string,
  opts: { connections: number; durationS: number; log: (m: string) => void; quiet: () => Promise<unknown> },
): Promise<SignedInFigures> {
  const { log } = opts;
  const t0 = performance.now();
  const when = new Date().toISOString();
  const backgroundAtStart = await backgroundLoad(1000);
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-bench-signed-in-"));
  const dataDir = path.join(tempDir, "data");
  try {
    log("signed-in pages: seeding a fresh DATA_DIR …");
    await stopServer(await startServer({ root, dataDir, port: await freePort() }));

    const warmStarts: { ms: number; log: string }[] = [];
    for (let i = 0; i < 3; i++) {
      await opts.quiet();
      const warm = await warmNpmStart(root, dataDir);
      warmStarts.push(warm);
      log(`  warm npm start ${i + 1}/3 → first 200 after ${(warm.ms / 1000).toFixed(2)} s`);
    }

    log("  what holds the memory: Node alone, PGlite alone, the server with a probe, 3 rounds …");
    const memoryParts = await measureMemoryParts(root, dataDir, 3, opts.quiet);

    await opts.quiet();
    const server = await startServer({ root, dataDir, port: await freePort() });
    await sleep(1000); // the horizon roll and the worker's first pass run just after listening
    const rssAfterStart = readMemory(server.pid);
    log(`  RSS after start: ${rssAfterStart?.rssMiB.toFixed(0)} MiB`);
    const keys: Key[] = ["healthz", "month", "week", "session"];
    const pglite = await measureServer(server, "PGlite", { ...opts, keys });
    const rssAfterLoad = readMemory(server.pid);
    await stopServer(server);

    const figures: SignedInFigures = {
      when,
      totalS: 0,
      backgroundAtStart,
      warmStarts,
      rssAfterStart,
      rssAfterLoad,
      memoryParts,
      pglite,
      connections: opts.connections,
      durationS: opts.durationS,
    };
    const problem = await postgresProblem();
    if (problem) figures.postgresSkipped = problem;
    else {
      const db = await createBenchDatabase("signed_in");
      try {
        const pgServer = await startServer({ root, dataDir: path.join(tempDir, "unused"), port: await freePort(), env: { DATABASE_URL: db.url } });
        try {
          figures.postgres = await measureServer(pgServer, "PostgreSQL", { ...opts, keys: ["healthz", "month", "session"] });
        } finally {
          await stopServer(pgServer);
        }
      } finally {
        await dropBenchDatabase(db.name);
      }
    }
    figures.totalS = (performance.now() - t0) / 1000;
    return figures;
  } finally {
    fs.rmSync(tempDir, { recursive: true, force: true });
  }
}

const ratio = (run: SignedInRun | undefined, key: Key) => (run?.load[key] && run.load.healthz ? run.load[key].rps / run.load.healthz.rps : NaN);
const cpuRatio = (run: SignedInRun | undefined, key: Key) => {
  const page = run?.load[key];
  const floor = run?.load.healthz;
  if (!page || !floor) return NaN;
  return floor.cpu.server / floor.requests / (page.cpu.server / page.requests);
};
const verdict = (ok: boolean) => (ok ? "PASS" : "**MISS**");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function signedInVerdicts(f: SignedInFigures) {
  const warm = median(f.warmStarts.map((w) => w.ms));
  return {
    warm,
    warmOk: warm <= WARM_START_GOAL_MS,
    month: ratio(f.pglite, "month"),
    monthPg: ratio(f.postgres, "month"),
    session: ratio(f.pglite, "session"),
    rssOk: (f.rssAfterStart?.rssMiB ?? Infinity) <= RSS_GOAL_MIB,
  };
}

function loadRows(run: SignedInRun): string[] {
  return (["healthz", "month", "week", "session"] as Key[])
    .filter((k) => run.load[k])
    .map((k) => {
      const r = run.load[k]!;
      const cpuMs = (r.cpu.server * r.raw.duration * 1000) / Math.max(1, r.requests);
      const bytes = run.bytes[k] !== undefined && k !== "healthz" ? `${(run.bytes[k] / 1024).toFixed(1)} KiB` : "—";
      return `| ${run.database} | \`${run.paths[k]}\` | ${Math.round(r.rps).toLocaleString("en")} | ${r.p50.toFixed(1)} ms | ${r.p99.toFixed(1)} ms | ${r.errors + r.timeouts} / ${r.non2xx} | ${r.cpu.server.toFixed(2)} | ${cpuMs.toFixed(2)} ms | ${r.cpu.other.toFixed(2)} | ${bytes} |`;
    });
}

export function signedInMarkdown(f: SignedInFigures, machineLine: string, notes?: string): string {
  const v = signedInVerdicts(f);
  // null: a row that does not apply (no PostgreSQL); a blank line would cut the table in two.
  const lines: (string | null)[] = [
    "## Signed-in pages, start-up and memory",
    "",
    `Measured ${f.when} (${Math.round(f.totalS)} s) on ${machineLine}. Other processes' load at start: ${f.backgroundAtStart.toFixed(2)} cores. ` +
      `The production server (\`node build/hearth/server.mjs\`), the demo community seeded on its first start, signed in as the demo resident through the login form, ` +
      `the session cookie sent with every request (so nothing comes from the anonymous page cache). ${f.connections} connections × ${f.durationS} s per route after 300 warm-up requests each; /healthz and the pages on the same server in the same minutes.`,
    "",
    "| Database | Route | req/s | p50 | p99 | Errors / non-2xx | Server CPU (cores) | Server CPU per request | Other processes (cores) | Body |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...loadRows(f.pglite),
    ...(f.postgres ? loadRows(f.postgres) : []),
    "",
    f.postgresSkipped ? `PostgreSQL part skipped: ${f.postgresSkipped}\n` : "",
    "| Measure | Result | Goal | Verdict |",
    "| --- | --- | --- | --- |",
    `| Signed-in month calendar ÷ /healthz, req/s, PGlite | ${v.month.toFixed(2)} | ≥ ${SIGNED_IN_GOALS.month} | ${verdict(v.month >= SIGNED_IN_GOALS.month)} |`,
    `| (cross-check) /healthz's CPU per request ÷ the month's, PGlite | ${cpuRatio(f.pglite, "month").toFixed(2)} |  | (informative) |`,
    f.postgres
      ? `| Signed-in month calendar ÷ /healthz, req/s, PostgreSQL | ${v.monthPg.toFixed(2)} | ≥ ${SIGNED_IN_GOALS.month} | ${verdict(v.monthPg >= SIGNED_IN_GOALS.month)} |`
      : null,
    `| Signed-in session page ÷ /healthz, req/s, PGlite | ${v.session.toFixed(2)} | ≥ ${SIGNED_IN_GOALS.session} | ${verdict(v.session >= SIGNED_IN_GOALS.session)} |`,
    f.postgres ? `| Signed-in session page ÷ /healthz, req/s, PostgreSQL | ${ratio(f.postgres, "session").toFixed(2)} |  | (informative) |` : null,
    `| Signed-in week ÷ /healthz, req/s, PGlite | ${ratio(f.pglite, "week").toFixed(2)} | ≥ ${SIGNED_IN_GOALS.week} | ${verdict(ratio(f.pglite, "week") >= SIGNED_IN_GOALS.week)} |`,
    `| Warm \`npm start\` (built, data present) → first 200 on /calendar, median of 3 (${f.warmStarts.map((w) => (w.ms / 1000).toFixed(2)).join(" / ")} s) | ${(v.warm / 1000).toFixed(2)} s | ≤ ${WARM_START_GOAL_MS / 1000} s | ${verdict(v.warmOk)} |`,
    `| Server RSS 1 s after start, PGlite with the demo | ${f.rssAfterStart?.rssMiB.toFixed(0) ?? "?"} MiB | ≤ ${RSS_GOAL_MIB} MiB | ${verdict(v.rssOk)} |`,
    `| Server RSS after the load runs (peak) | ${f.rssAfterLoad?.rssMiB.toFixed(0) ?? "?"} MiB (${f.rssAfterLoad?.hwmMiB.toFixed(0) ?? "?"} MiB) |  | (informative) |`,
    "",
    memoryPartsMarkdown(f.memoryParts),
    "",
    `What \`npm start\` said about the build on its warm starts: ${[...new Set(f.warmStarts.map((w) => /\[hearth\] (build[^\n]*|building[^\n]*)/.exec(w.log)?.[1] ?? "(nothing)"))].map((l) => `“${l.replace(/ \(checked in \d+ ms\)/, "")}”`).join(", ")}.`,
    "",
  ];
  if (notes) lines.push(notes, "");
  lines.push("Run just this part with `npm run bench -- --only=signed-in` (it then replaces only this section of this file).");
  return lines
    .filter((l): l is string => l !== null)
    .filter((l, i, all) => !(l === "" && all[i - 1] === ""))
    .join("\n");
}
