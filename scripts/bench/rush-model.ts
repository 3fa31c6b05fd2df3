/**
 * The signup rush at the model layer, beside its physical floor, on one fresh PostgreSQL
 * database: 64 clients (a pool of 64 connections) call `signUp` for 2,000 distinct people
 * on one session with 80 places; the floor is the same 64 clients running 2,000 bare
 * `UPDATE … SET taken = taken + 1 WHERE id = $1 AND taken < capacity` on one hot row.
 * Both go through the same pool and driver, so the ratio isolates what `signUp` adds on
 * top of "one hot row, one commit per operation".
 */
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { openDatabase, type DatabaseHandle, type Db } from "../../models/db";
import { signUp } from "../../models/signups";
import { DomainError } from "../../models/errors";
import type { Actor } from "../../models/permissions";
import { cpuLine, measureCpu, type RushCpu } from "./rush-cpu";
import {
  createBenchDatabase,
  dropBenchDatabase,
  latencyStats,
  makeCoordinator,
  makePeople,
  makeRushSession,
  sessionOutcome,
  stationId,
  withClients,
  type Outcome,
} from "./rush-db";

export const MODEL_CLIENTS = 64;
export const PEOPLE = 2000;
export const CAPACITY = 80;
export const FLOOR_STATEMENTS = 2000;
export const REPEATS = 3;
export const LOCK_TIMEOUT_MS = 5000;

export interface OpsRun {
  ops: number;
  wallMs: number;
  opsPerS: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  cpu: RushCpu;
}

export interface SignupRun extends OpsRun {
  confirmedCalls: number;
  waitlistedCalls: number;
  busy: number;
  errors: number;
  errorSamples: string[];
  outcome: Outcome;
}

export interface FloorRun extends OpsRun {
  /** Statements that updated no row (must be 0: the capacity never fills). */
  missed: number;
  errors: number;
}

export interface ModelRush {
  clients: number;
  poolSize: number;
  people: number;
  capacity: number;
  floorStatements: number;
  lockTimeoutMs: number;
  signups: SignupRun[];
  floors: FloorRun[];
  /** Index of the median run (by ops/s) in each list. */
  medianSignup: number;
  medianFloor: number;
  /** Per-statement timings of one signUp, measured alone on an idle database (ms, median of 50). */
  breakdown: { step: string; ms: number }[];
  setupMs: number;
}

const medianIndex = (runs: OpsRun[]) => {
  const order = runs.map((_, i) => i).sort((a, b) => runs[a]!.opsPerS - runs[b]!.opsPerS);
  return order[Math.floor(order.length / 2)]!;
};

/** Makes sure all `n` connections of the pool are open, so no run pays for connecting. */
async function primePool(db: Db, n: number) {
  await Promise.all(Array.from({ length: n }, () => db.execute(sql`SELECT pg_sleep(0.02)`)));
}

async function signupRun(db: Db, station: number, actor: Actor, sessionId: number, personIds: number[], clients: number): Promise<SignupRun> {
  const latencies: number[] = [];
  let confirmedCalls = 0;
  let waitlistedCalls = 0;
  let busy = 0;
  let errors = 0;
  const errorSamples: string[] = [];
  const meter = measureCpu();
  const t0 = performance.now();
  await withClients(clients, personIds.length, async (i) => {
    const start = performance.now();
    try {
      const result = await signUp(db, { stationId: station, actor }, { sessionId, personId: personIds[i]!, partySize: 1 });
      if (result.status === "confirmed") confirmedCalls++;
      else waitlistedCalls++;
    } catch (error) {
      if (error instanceof DomainError && error.code === "busy") busy++;
      else {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      }
    }
    latencies.push(performance.now() - start);
  });
  const wallMs = performance.now() - t0;
  const cpu = meter.stop(personIds.length);
  return {
    ops: personIds.length,
    wallMs,
    opsPerS: personIds.length / (wallMs / 1000),
    ...latencyStats(latencies),
    cpu,
    confirmedCalls,
    waitlistedCalls,
    busy,
    errors,
    errorSamples,
    outcome: await sessionOutcome(db, sessionId),
  };
}

async function floorRun(db: Db, statements: number, clients: number): Promise<FloorRun> {
  const latencies: number[] = [];
  let missed = 0;
  let errors = 0;
  const meter = measureCpu();
  const t0 = performance.now();
  await withClients(clients, statements, async () => {
    const start = performance.now();
    try {
      const result = await db.execute(sql`UPDATE bench_floor SET taken = taken + 1 WHERE id = ${1} AND taken < capacity`);
      if (result.rowCount !== 1) missed++;
    } catch {
      errors++;
    }
    latencies.push(performance.now() - start);
  });
  const wallMs = performance.now() - t0;
  return { ops: statements, wallMs, opsPerS: statements / (wallMs / 1000), ...latencyStats(latencies), cpu: meter.stop(statements), missed, errors };
}

/**
 * Where one signUp's time goes when nothing else runs. A coordinator booking for someone sends
 * one statement (models/signups.ts: the named locking statement checks the session's rules and
 * the person, takes the place or queues, and writes the signup, audit and mail rows; the
 * waitlist position comes back with it). The statements are timed at the driver as signUp sends
 * them (the pool's `query`), so the breakdown follows what it sends, and the rest is the
 * client's own work.
 */
async function breakdown(db: Db, station: number, actor: Actor, personIds: number[], log: (m: string) => void): Promise<ModelRush["breakdown"]> {
  const sessionId = await makeRushSession(db, station, CAPACITY, "义诊（计时）");
  // Fill it, so the timed calls take the waitlisted path like 96% of the rush does.
  for (let i = 0; i < CAPACITY; i++) await signUp(db, { stationId: station, actor }, { sessionId, personId: personIds[i]!, partySize: 1 });
  const pool = (db as unknown as { $client: { query: (...args: unknown[]) => Promise<unknown> } }).$client;
  const query = pool.query;
  let sent = 0;
  let inStatements = 0;
  pool.query = async (...args: unknown[]) => {
    sent++;
    const t0 = performance.now();
    try {
      return await query.apply(pool, args);
    } finally {
      inStatements += performance.now() - t0;
    }
  };
  const whole: number[] = [];
  const statements: number[] = [];
  const counts = new Set<number>();
  try {
    for (let i = CAPACITY; i < CAPACITY + 50; i++) {
      [sent, inStatements] = [0, 0];
      const t0 = performance.now();
      const result = await signUp(db, { stationId: station, actor }, { sessionId, personId: personIds[i]!, partySize: 1 });
      whole.push(performance.now() - t0);
      if (result.status !== "waitlisted") throw new Error(`the timed signup was ${result.status}, not waitlisted`);
      statements.push(inStatements);
      counts.add(sent);
    }
  } finally {
    pool.query = query;
  }
  const timed = async (run: () => Promise<unknown>) => {
    const t: number[] = [];
    for (let k = 0; k < 50; k++) {
      const t0 = performance.now();
      await run();
      t.push(performance.now() - t0);
    }
    return latencyStats(t).p50;
  };
  const floorAlone = await timed(() => db.execute(sql`UPDATE bench_floor SET taken = taken + 1 WHERE id = ${1} AND taken < capacity`));
  const trivial = await timed(() => db.execute(sql`SELECT 1`));
  const wholeMs = latencyStats(whole).p50;
  const statementsMs = latencyStats(statements).p50;
  const sentPerCall = [...counts].sort((x, y) => x - y).join(" or ");
  const sentWhat = sentPerCall === "1" ? "one per call: the named locking statement with its commit" : `${sentPerCall} per call`;
  const result = [
    { step: "signUp, whole call (waitlisted path)", ms: wholeMs },
    { step: `… its statements as sent (${sentWhat}), at the driver`, ms: statementsMs },
    { step: "… the rest: the client-side work (whole − statements)", ms: wholeMs - statementsMs },
    { step: "for comparison: the floor's bare UPDATE with its commit", ms: floorAlone },
    { step: "for comparison: a `SELECT 1` round trip", ms: trivial },
  ];
  log(`  one signUp alone: ${result.map((r) => `${r.step} ${r.ms.toFixed(2)} ms`).join("; ")}`);
  return result;
}

/** `beforePhase` runs before each measured phase (the bench's `--wait-idle`). */
export async function runModelRush(log: (m: string) => void, beforePhase: () => Promise<void> = async () => {}): Promise<ModelRush> {
  const t0 = performance.now();
  const database = await createBenchDatabase("model");
  let handle: DatabaseHandle | undefined;
  try {
    handle = await openDatabase({ kind: "postgres", url: database.url, poolSize: MODEL_CLIENTS, lockTimeoutMs: LOCK_TIMEOUT_MS });
    await handle.migrate();
    const db = handle.db;
    const station = await stationId(db);
    const actor = await makeCoordinator(db, station);
    const personIds = await makePeople(db, station, PEOPLE, "抢号居民");
    // Warm-up + the measured runs: each signup run gets its own fresh session with 80 places.
    const sessionIds: number[] = [];
    for (let i = 0; i <= REPEATS; i++) sessionIds.push(await makeRushSession(db, station, CAPACITY, i === 0 ? "义诊（预热）" : `公益义诊 ${i}`));
    await db.execute(sql`CREATE TABLE bench_floor (id int PRIMARY KEY, taken int NOT NULL, capacity int NOT NULL, CHECK (taken <= capacity))`);
    await db.execute(sql`INSERT INTO bench_floor VALUES (1, 0, 1000000000)`);
    await db.execute(sql`VACUUM ANALYZE`);
    const setupMs = performance.now() - t0;
    log(
      `  database ${database.name}: migrated, ${PEOPLE} people, ${REPEATS + 1} sessions of ${CAPACITY} places, floor table (${(setupMs / 1000).toFixed(1)} s)`,
    );

    await beforePhase();
    const breakdownRows = await breakdown(db, station, actor, personIds, log);

    await primePool(db, MODEL_CLIENTS);
    const warmSignup = await signupRun(db, station, actor, sessionIds[0]!, personIds, MODEL_CLIENTS);
    const warmFloor = await floorRun(db, FLOOR_STATEMENTS, MODEL_CLIENTS);
    log(`  warm-up: signUp ${warmSignup.opsPerS.toFixed(0)}/s, floor ${warmFloor.opsPerS.toFixed(0)}/s`);

    const signups: SignupRun[] = [];
    const floors: FloorRun[] = [];
    for (let i = 0; i < REPEATS; i++) {
      // Alternate the order so a drift of the machine's load does not favour one side.
      const runFloor = async () => {
        await beforePhase();
        await primePool(db, MODEL_CLIENTS);
        const f = await floorRun(db, FLOOR_STATEMENTS, MODEL_CLIENTS);
        floors.push(f);
        log(
          `  floor  ${i + 1}/${REPEATS}: ${f.opsPerS.toFixed(0).padStart(5)} ops/s  p50 ${f.p50.toFixed(1)} ms  p95 ${f.p95.toFixed(1)} ms  p99 ${f.p99.toFixed(1)} ms  errors ${f.errors}  ${cpuLine(f.cpu)}`,
        );
      };
      const runSignup = async () => {
        await beforePhase();
        await primePool(db, MODEL_CLIENTS);
        const r = await signupRun(db, station, actor, sessionIds[i + 1]!, personIds, MODEL_CLIENTS);
        signups.push(r);
        log(
          `  signUp ${i + 1}/${REPEATS}: ${r.opsPerS.toFixed(0).padStart(5)} ops/s  p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  ` +
            `confirmed ${r.outcome.confirmed} (taken ${r.outcome.taken}), waitlisted ${r.outcome.waitlisted}, busy ${r.busy}, errors ${r.errors}${r.errorSamples.length ? ` e.g. ${r.errorSamples[0]}` : ""}  ` +
            cpuLine(r.cpu),
        );
      };
      if (i % 2 === 0) {
        await runFloor();
        await runSignup();
      } else {
        await runSignup();
        await runFloor();
      }
    }
    return {
      clients: MODEL_CLIENTS,
      poolSize: MODEL_CLIENTS,
      people: PEOPLE,
      capacity: CAPACITY,
      floorStatements: FLOOR_STATEMENTS,
      lockTimeoutMs: LOCK_TIMEOUT_MS,
      signups,
      floors,
      medianSignup: medianIndex(signups),
      medianFloor: medianIndex(floors),
      breakdown: breakdownRows,
      setupMs,
    };
  } finally {
    await handle?.close().catch(() => {});
    await dropBenchDatabase(database.name).catch((e: Error) => log(`  could not drop ${database.name}: ${e.message}`));
  }
}
