/**
 * The signup rush on the embedded database, the default install (`npm start` with no
 * DATABASE_URL): the PostgreSQL rush's 2,000 people, 80 places and 200 clients, each person with
 * their own resident's token, against `node build/hearth/server.mjs` on PGlite. PGlite belongs
 * to the one server process, so the bench makes the people, their tokens and the sessions in
 * the data folder before the server starts, and reads each session's outcome after it stops.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type DatabaseHandle } from "../../models/db";
import type { PgliteThread } from "../../models/db/client";
import { makeResidents, makeRushSession, sessionOutcome, stationId } from "./rush-db";
import { errorLines, httpRun, HTTP_CAPACITY, HTTP_CLIENTS, HTTP_REPEATS, HTTP_REQUESTS, statusLine, type HttpRun } from "./rush-http";
import { freePort, startServer, stopServer, type RunningServer } from "./server-process";

const WARMUP_REQUESTS = 400;
export const PGLITE_GOALS = { rps: 400, p99Ms: 1000 };

const noAnswer = (r: HttpRun) => (r.networkErrors ? `, no answer ${r.networkErrors} (${statusLine(r.networkErrorKinds)})` : "");

export interface PgliteRush {
  warmup: HttpRun;
  runs: HttpRun[];
  median: HttpRun;
  startMs: number;
  serverErrors: string[];
  load: number;
  /** Where the server ran PGlite (PGLITE_THREAD, ADR 37): in a worker thread, the default, or in its own thread. */
  thread: PgliteThread;
}

async function withDatabase<T>(dataDir: string, work: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = await openDatabase({ kind: "pglite", dataDir });
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

export async function runPgliteRush(root: string, log: (m: string) => void, opts: { thread?: PgliteThread } = {}): Promise<PgliteRush> {
  const thread = opts.thread ?? "worker";
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-rush-pglite-"));
  let server: RunningServer | undefined;
  try {
    log("  preparing the embedded database (migrations, 2,000 residents with tokens, the sessions) …");
    const { personIds, tokens, sessionIds } = await withDatabase(dataDir, async ({ db, migrate }) => {
      await migrate();
      const station = await stationId(db, process.env.STATION_SLUG || "fuwen");
      const residents = await makeResidents(db, station, HTTP_REQUESTS, "抢号居民");
      const ids: number[] = [];
      for (let i = 0; i <= HTTP_REPEATS; i++) ids.push(await makeRushSession(db, station, HTTP_CAPACITY, i === 0 ? "义诊（预热）" : `公益义诊 ${i}`));
      return { ...residents, sessionIds: ids };
    });
    server = await startServer({
      root,
      dataDir,
      port: await freePort(),
      probePath: "/healthz",
      env: { PAGE_CACHE_SECONDS: "0", PGLITE_THREAD: thread },
    });
    log(
      `  server on ${server.base} (PGlite in ${thread === "worker" ? "a worker thread" : "the server's thread"}, page cache off) ready after ${(server.readyMs / 1000).toFixed(2)} s`,
    );
    const startMs = server.readyMs;
    const mark = server.output().length;
    const load = os.loadavg()[0]!;
    const warmup = await httpRun(server, null, tokens, sessionIds[0]!, personIds.slice(0, WARMUP_REQUESTS), HTTP_CLIENTS);
    log(`  warm-up: ${WARMUP_REQUESTS} requests, ${warmup.rps.toFixed(0)} req/s, ${statusLine(warmup.statusCounts)}`);
    const runs: HttpRun[] = [];
    for (let i = 0; i < HTTP_REPEATS; i++) {
      const r = await httpRun(server, null, tokens, sessionIds[i + 1]!, personIds, HTTP_CLIENTS);
      runs.push(r);
      log(
        `  PGlite ${i + 1}/${HTTP_REPEATS}: ${r.rps.toFixed(0).padStart(5)} signups/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  status ${statusLine(r.statusCounts)}`,
      );
    }
    const serverErrors = errorLines(server, mark).slice(0, 20);
    await stopServer(server);
    server = undefined;
    await withDatabase(dataDir, async ({ db }) => {
      warmup.outcome = await sessionOutcome(db, sessionIds[0]!);
      for (const [i, r] of runs.entries()) r.outcome = await sessionOutcome(db, sessionIds[i + 1]!);
    });
    const median = [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)]!;
    return { warmup, runs, median, startMs, serverErrors, load, thread };
  } finally {
    if (server) await stopServer(server).catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Every run confirmed exactly the places, waitlisted the rest, and answered no 5xx. */
export const pgliteRushCorrect = (f: PgliteRush) =>
  f.runs.every(
    (r) =>
      r.outcome.confirmed === HTTP_CAPACITY && r.outcome.waitlisted === HTTP_REQUESTS - HTTP_CAPACITY && r.status5xx === 0 && r.networkErrors === 0,
  );

export function pgliteRushMarkdown(f: PgliteRush, machineLine: string): string {
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  const row = (label: string, r: HttpRun) =>
    `| ${label} | ${r.rps.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${statusLine(r.statusCounts)}${noAnswer(r)} | ${r.outcome.confirmed} / ${r.outcome.waitlisted} | ${r.status5xx} | ${r.cpu.server.toFixed(2)} cores (${r.cpu.serverMsPerOp.toFixed(2)} ms) | ${r.cpu.other.toFixed(2)} cores |`;
  const m = f.median;
  const verdict = (ok: boolean) => (ok ? "PASS" : "**MISS**");
  const lines = [
    "## Signup rush on the embedded database",
    "",
    `The rush over HTTP of the section above on the default install: \`node build/hearth/server.mjs\` with no \`DATABASE_URL\`, so PGlite in the server's own process, ${f.thread === "worker" ? "in a worker thread (`PGLITE_THREAD=worker`, the default since ADR 37)" : "in the server's own thread (`PGLITE_THREAD=main`)"}, \`PAGE_CACHE_SECONDS=0\`. ${HTTP_REQUESTS.toLocaleString("en")} residents, each with their own API token, and the sessions (${HTTP_CAPACITY} places each) are made in the data folder before the server starts (only one process may open it); ${HTTP_CLIENTS} concurrent clients send \`POST /api/v1/sessions/{id}/signups\` once per person; a warm-up of ${WARMUP_REQUESTS} on its own session, then ${HTTP_REPEATS} runs; each session's outcome is read from the data folder after the server stops. Load average ${f.load.toFixed(1)} when measuring began.`,
    "",
    "| Run | Signups/s | p50 | p95 | p99 | Status counts | Confirmed / waitlisted people in the database | 5xx | Server CPU (per request) | Other processes |",
    "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    row(`warm-up (${WARMUP_REQUESTS} requests)`, f.warmup),
    ...f.runs.map((r, i) => row(`${i + 1}${r === m ? " (median)" : ""}`, r)),
    "",
    "| Measure | Result | Goal | Verdict |",
    "| --- | --- | --- | --- |",
    `| Signups/s, median run | ${m.rps.toFixed(0)} | ≥ ${PGLITE_GOALS.rps} | ${verdict(m.rps >= PGLITE_GOALS.rps)} |`,
    `| p99, median run | ${ms(m.p99)} | ≤ ${ms(PGLITE_GOALS.p99Ms)} | ${verdict(m.p99 <= PGLITE_GOALS.p99Ms)} |`,
    `| Exactly ${HTTP_CAPACITY} confirmed, no 5xx, every run | ${pgliteRushCorrect(f) ? "yes" : "no"} | yes | ${verdict(pgliteRushCorrect(f))} |`,
    ...(f.serverErrors.length ? ["", `Server error lines: ${f.serverErrors.length} (first: \`${f.serverErrors[0]!.slice(0, 160)}\`).`] : []),
    "",
    `Measured on ${machineLine}. Reproduce: \`npm run bench -- --only=rush-pglite\` (about a minute).`,
  ];
  return lines.join("\n") + "\n";
}
