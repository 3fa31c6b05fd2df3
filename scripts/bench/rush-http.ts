/**
 * The signup rush over HTTP: the production build, served by the real entry
 * (`node build/hearth/server.mjs`) on a fresh PostgreSQL database, one session with 80
 * places, 2,000 distinct people, 200 concurrent API clients each sending
 * `POST /api/v1/sessions/{id}/signups {"personId", "partySize": 1}`, each person with their
 * own resident's bearer token, until all 2,000 are sent.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { openDatabase, type DatabaseHandle, type Db } from "../../models/db";
import { createApiToken } from "../../models/api-tokens";
import { cpuLine, measureCpu, type RushCpu } from "./rush-cpu";
import {
  createBenchDatabase,
  dropBenchDatabase,
  latencyStats,
  makeCoordinator,
  makeResidents,
  makeRushSession,
  sessionOutcome,
  stationId,
  withClients,
  type Outcome,
} from "./rush-db";
import { freePort, startServer, stopServer, type RunningServer } from "./server-process";

export const HTTP_CLIENTS = 200;
export const HTTP_REQUESTS = 2000;
export const HTTP_CAPACITY = 80;
export const SERVER_POOL_SIZE = 20;
export const HTTP_REPEATS = 3;
const WARMUP_REQUESTS = 400;
const DEMO_COORDINATOR = { email: "coordinator@fuwen.example", password: "hearth-demo-2026" };
const SIGNUP_ROUTE = "routes/api.v1.sessions.$id.signups";

export interface HttpRun {
  requests: number;
  wallMs: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  statusCounts: Record<string, number>;
  /** 201s whose body said confirmed / waitlisted. */
  confirmedResponses: number;
  waitlistedResponses: number;
  status5xx: number;
  /** 503 with `{"error": {"code": "busy"}}`: the bounded lock wait said "try again". */
  busy503: number;
  /** Socket errors and timeouts: no HTTP answer at all. */
  networkErrors: number;
  /** What the requests without an answer failed with (error code or message), and how many. */
  networkErrorKinds: Record<string, number>;
  outcome: Outcome;
  cpu: RushCpu;
}

export interface HttpRush {
  /** What was measured: the JSON API (the HTML form fallback was not needed). */
  path: string;
  clients: number;
  requests: number;
  capacity: number;
  poolSize: number;
  lockTimeoutMs: string;
  tokenFrom: string;
  buildNote: string;
  /** Spawn → first 200 on /healthz, including migrations and seeding the demo community. */
  startMs: number;
  warmup: HttpRun;
  runs: HttpRun[];
  median: number;
  stopMs: number;
  /** Lines the server logged as errors during the rush (`[api]` 500s, pool errors). */
  serverErrors: string[];
}

/** Does the production build have the signup API route? */
/**
 * Whether the production build serves the signup API. The Remix build's entry may be a stub
 * that imports its routes from chunks in build/server/assets/, so every module is read.
 */
export function buildHasApi(root: string): boolean {
  const dir = path.join(root, "build/server");
  if (!fs.existsSync(path.join(dir, "index.js"))) return false;
  const assets = path.join(dir, "assets");
  const chunks = fs.existsSync(assets)
    ? fs
        .readdirSync(assets)
        .filter((f) => f.endsWith(".js"))
        .map((f) => path.join(assets, f))
    : [];
  return [path.join(dir, "index.js"), ...chunks].some((file) => fs.readFileSync(file, "utf8").includes(`"${SIGNUP_ROUTE}"`));
}

/** The production build with the signup API: the existing one, or a fresh one when it lacks the route. */
function ensureApiBuild(root: string, log: (m: string) => void): string {
  const entry = path.join(root, "build/server/index.js");
  if (buildHasApi(root)) return `the existing build from ${fs.statSync(entry).mtime.toISOString()}`;
  log(`  the production build has no ${SIGNUP_ROUTE}: building the app and the server bundle …`);
  // The project's one build: a Remix build alone would leave no server bundle to run (ADR 0029).
  const script = path.join(root, "scripts/build-if-changed.mjs");
  const result = spawnSync(process.execPath, [script, "--force"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (result.status === 0 && buildHasApi(root)) return "built by the rush";
  const firstError = `${result.stderr ?? ""}\n${result.stdout ?? ""}`.split("\n").find((l) => /error|failed|✗/i.test(l)) ?? "";
  throw new Error(
    result.status === 0 ? `the fresh build has no ${SIGNUP_ROUTE}` : `the build failed (exit ${result.status}): ${firstError.trim().slice(0, 300)}`,
  );
}

/** The real server on a PostgreSQL database; `extraEnv` e.g. `RUN_WORKER=false` for a second instance. */
export async function startPostgresServer(
  root: string,
  databaseUrl: string,
  dataDir: string,
  log: (m: string) => void,
  poolSize = SERVER_POOL_SIZE,
  extraEnv: Record<string, string> = {},
): Promise<RunningServer> {
  const server = await startServer({
    root,
    dataDir,
    port: await freePort(),
    probePath: "/healthz",
    timeoutMs: 120_000,
    pollMs: 100,
    env: { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: String(poolSize), PAGE_CACHE_SECONDS: "0", ...extraEnv },
  });
  log(
    `  server on ${server.base} (PostgreSQL, pool ${poolSize}, page cache off) ready after ${(server.readyMs / 1000).toFixed(2)} s (migrations + demo seed)`,
  );
  return server;
}

/** A coordinator's API token: from `POST /api/v1/auth/token` as the demo coordinator, else made through the models. */
export async function coordinatorToken(base: string, db: Db, station: number, log: (m: string) => void): Promise<{ token: string; from: string }> {
  try {
    const res = await fetch(`${base}/api/v1/auth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...DEMO_COORDINATOR, name: "rush bench" }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json().catch(() => ({}))) as { token?: string };
    if (res.status === 201 && typeof body.token === "string") return { token: body.token, from: "`POST /api/v1/auth/token` as the demo coordinator" };
    log(`  POST /api/v1/auth/token answered ${res.status}: making a coordinator and its token through the models instead`);
  } catch (error) {
    log(
      `  POST /api/v1/auth/token failed (${error instanceof Error ? error.message : error}): making a coordinator and its token through the models instead`,
    );
  }
  const actor = await makeCoordinator(db, station);
  const { token } = await createApiToken(db, { stationId: station, accountId: actor.accountId }, "rush bench");
  return { token, from: "a coordinator account and API token made through the models (`createApiToken`)" };
}

interface Answer {
  status: number;
  body: string;
  ms: number;
}

function post(agent: http.Agent, base: URL, pathname: string, token: string, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        path: pathname,
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(body),
          Authorization: `Bearer ${token}`,
          Accept: "application/json",
          "Accept-Language": "zh-CN",
        },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - t0 }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * One rush: `personIds` sent by `clients` concurrent clients. With several servers, client k
 * always talks to server k mod n (as a balancer's sticky connections would), so each server
 * gets an equal share; CPU is then measured for PostgreSQL and the bench only.
 */
export async function httpRun(
  servers: RunningServer | RunningServer[],
  /** Where to read the outcome after the run; null on the embedded database, which only the server may open (the caller reads it after). */
  db: Db | null,
  /** One bearer token for every request, or each person's own (`tokens[i]` for `personIds[i]`). */
  token: string | string[],
  sessionId: number,
  personIds: number[],
  clients: number,
): Promise<HttpRun> {
  const list = Array.isArray(servers) ? servers : [servers];
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const bases = list.map((s) => new URL(s.base));
  const pathname = `/api/v1/sessions/${sessionId}/signups`;
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  let confirmedResponses = 0;
  let waitlistedResponses = 0;
  let busy503 = 0;
  let networkErrors = 0;
  const networkErrorKinds: Record<string, number> = {};
  const meter = measureCpu(list.length === 1 ? list[0]!.pid : undefined);
  const t0 = performance.now();
  await withClients(clients, personIds.length, async (i, client) => {
    try {
      const answer = await post(
        agent,
        bases[client % bases.length]!,
        pathname,
        typeof token === "string" ? token : token[i]!,
        JSON.stringify({ personId: personIds[i]!, partySize: 1 }),
      );
      latencies.push(answer.ms);
      statusCounts[answer.status] = (statusCounts[answer.status] ?? 0) + 1;
      let parsed: { status?: string; error?: { code?: string } } = {};
      try {
        parsed = JSON.parse(answer.body) as typeof parsed;
      } catch {
        // Not JSON: counted by its status only.
      }
      if (answer.status === 201 && parsed.status === "confirmed") confirmedResponses++;
      if (answer.status === 201 && parsed.status === "waitlisted") waitlistedResponses++;
      if (answer.status === 503 && parsed.error?.code === "busy") busy503++;
    } catch (error) {
      networkErrors++;
      const kind = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
      networkErrorKinds[kind] = (networkErrorKinds[kind] ?? 0) + 1;
    }
  });
  const wallMs = performance.now() - t0;
  const cpu = meter.stop(personIds.length);
  agent.destroy();
  const status5xx = Object.entries(statusCounts).reduce((n, [code, count]) => n + (Number(code) >= 500 ? count : 0), 0);
  return {
    requests: personIds.length,
    wallMs,
    rps: personIds.length / (wallMs / 1000),
    ...latencyStats(latencies),
    statusCounts,
    confirmedResponses,
    waitlistedResponses,
    status5xx,
    busy503,
    networkErrors,
    networkErrorKinds,
    outcome: db ? await sessionOutcome(db, sessionId) : UNREAD,
    cpu,
  };
}

/** The lines a server logged as errors (`[api]` 500s, pool errors) since `mark` (an offset in its output). */
export const errorLines = (server: RunningServer, mark: number): string[] =>
  server
    .output()
    .slice(mark)
    .split("\n")
    .filter((l) => /\[api\]|\[db\]|error/i.test(l));

/** An outcome not read yet (see httpRun's `db`). */
const UNREAD: Outcome = { confirmed: NaN, waitlisted: NaN, signups: NaN, duplicates: NaN, taken: NaN, capacity: NaN };

export const statusLine = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([code, n]) => `${code}×${n}`)
    .join(", ");

/** Reads enough to have the server's pool connections open again after a pause. */
async function primeServer(base: string, sessionId: number, token: string) {
  await withClients(SERVER_POOL_SIZE, SERVER_POOL_SIZE * 3, async () => {
    const res = await fetch(`${base}/api/v1/sessions/${sessionId}`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
  });
}

/** `beforePhase` runs before each measured phase (the bench's `--wait-idle`) and says whether it waited. */
export async function runHttpRush(
  root: string,
  log: (m: string) => void,
  beforePhase: () => Promise<boolean> = async () => false,
): Promise<HttpRush> {
  const buildNote = ensureApiBuild(root, log);
  const database = await createBenchDatabase("http");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-rush-"));
  let handle: DatabaseHandle | undefined;
  let server: RunningServer | undefined;
  try {
    server = await startPostgresServer(root, database.url, dataDir, log);
    // A separate connection for the set-up and the checks, as another process would have.
    handle = await openDatabase({ kind: "postgres", url: database.url, poolSize: 4 });
    const db = handle.db;
    const station = await stationId(db, process.env.STATION_SLUG || "fuwen");
    // Residents booking for themselves, each with their own token: one coordinator booking
    // 2,000 people would be stopped by the staff mail budget (ADR 16) after 300.
    const { personIds, tokens } = await makeResidents(db, station, HTTP_REQUESTS, "抢号居民");
    const sessionIds: number[] = [];
    for (let i = 0; i <= HTTP_REPEATS; i++)
      sessionIds.push(await makeRushSession(db, station, HTTP_CAPACITY, i === 0 ? "义诊（预热）" : `公益义诊 ${i}`));
    const { token, from } = await coordinatorToken(server.base, db, station, log);
    log(`  ${HTTP_REQUESTS} people, ${HTTP_REPEATS + 1} sessions of ${HTTP_CAPACITY} places; token from ${from}`);

    // One read first: is the API in this build at all, and does it take the token?
    const probe = await fetch(`${server.base}/api/v1/sessions/${sessionIds[0]}`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
    const probeBody = await probe.text();
    if (probe.status !== 200) throw new Error(`GET /api/v1/sessions/${sessionIds[0]} answered ${probe.status}: ${probeBody.slice(0, 300)}`);

    const mark = server.output().length;
    await beforePhase();
    const warmup = await httpRun(server, db, tokens, sessionIds[0]!, personIds.slice(0, WARMUP_REQUESTS), HTTP_CLIENTS);
    log(`  warm-up: ${WARMUP_REQUESTS} requests, ${warmup.rps.toFixed(0)} req/s, ${statusLine(warmup.statusCounts)}`);
    const runs: HttpRun[] = [];
    for (let i = 0; i < HTTP_REPEATS; i++) {
      if (await beforePhase()) await primeServer(server.base, sessionIds[i + 1]!, token);
      const r = await httpRun(server, db, tokens, sessionIds[i + 1]!, personIds, HTTP_CLIENTS);
      runs.push(r);
      log(
        `  HTTP ${i + 1}/${HTTP_REPEATS}: ${r.rps.toFixed(0).padStart(5)} signups/s  p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  ` +
          `status ${statusLine(r.statusCounts)}${r.networkErrors ? `, network errors ${r.networkErrors}` : ""}  confirmed ${r.outcome.confirmed} (taken ${r.outcome.taken}), waitlisted ${r.outcome.waitlisted}  ${cpuLine(r.cpu)}`,
      );
    }
    const serverErrors = errorLines(server, mark).slice(0, 20);
    const stop = await stopServer(server);
    log(`  SIGTERM → exit in ${(stop.ms / 1000).toFixed(2)} s (code ${stop.code})`);
    const order = runs.map((_, i) => i).sort((a, b) => runs[a]!.rps - runs[b]!.rps);
    return {
      path: "JSON API: `POST /api/v1/sessions/{id}/signups` with a bearer token",
      clients: HTTP_CLIENTS,
      requests: HTTP_REQUESTS,
      capacity: HTTP_CAPACITY,
      poolSize: SERVER_POOL_SIZE,
      lockTimeoutMs: process.env.LOCK_TIMEOUT_MS || "5000 (default)",
      tokenFrom: `each resident's own API token (${HTTP_REQUESTS} resident accounts made in bulk; the reads before the runs used ${from})`,
      buildNote,
      startMs: server.readyMs,
      warmup,
      runs,
      median: order[Math.floor(order.length / 2)]!,
      stopMs: stop.ms,
      serverErrors,
    };
  } finally {
    if (server) await stopServer(server).catch(() => {});
    await handle?.close().catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
    await dropBenchDatabase(database.name).catch((e: Error) => log(`  could not drop ${database.name}: ${e.message}`));
  }
}
