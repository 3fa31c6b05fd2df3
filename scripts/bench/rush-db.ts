/**
 * PostgreSQL plumbing for the signup rush: a fresh database per run (dropped again at the
 * end), and the few rows the rush needs — written through the models, like the app does.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import { and, eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import pg from "pg";
import type { Db } from "../../models/db";
import { accounts, apiTokens, categories, people, sessions, signups, stationRoles, stations } from "../../models/db/schema";
import { hashApiToken, TOKEN_PREFIX } from "../../models/api-tokens";
import { createActivity } from "../../models/activities";
import { createEmptyStation } from "../../models/stations";
import type { Actor } from "../../models/permissions";

/** Where the bench creates its databases: BENCH_DATABASE_URL, else the local PostgreSQL 15. */
export const ADMIN_URL = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
export const ZONE = "Asia/Shanghai";

/** The URL of another database on the same server. */
export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Null when PostgreSQL answers, else why not (the rush is then skipped). */
export async function postgresProblem(): Promise<string | null> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end().catch(() => {});
  }
}

const created = new Set<string>();

/** CREATE DATABASE hearth_bench_<pid>_<label>_<random>; returns its name and URL. */
export async function createBenchDatabase(label: string): Promise<{ name: string; url: string }> {
  const name = `hearth_bench_${process.pid}_${label}_${crypto.randomBytes(3).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  created.add(name);
  return { name, url: databaseUrl(name) };
}

export async function dropBenchDatabase(name: string): Promise<void> {
  await admin(async (c) => {
    // A pool's end() returns before its backends have gone: give them a moment, so FORCE
    // does not terminate connections the pool is still closing (they would log errors).
    for (let i = 0; i < 40; i++) {
      const { rows } = await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [name]);
      if (!rows[0]?.n) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
  created.delete(name);
}

/** Drops whatever this process created and has not dropped yet (on failure or Ctrl-C). */
export async function dropAllBenchDatabases(): Promise<void> {
  for (const name of [...created]) await dropBenchDatabase(name).catch(() => {});
}

/** PostgreSQL's version and the settings that decide a hot row's speed. */
export async function serverFacts(): Promise<{ version: string; settings: Record<string, string> }> {
  return admin(async (c) => {
    const version = (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? "?";
    const names = ["synchronous_commit", "fsync", "wal_sync_method", "commit_delay", "shared_buffers", "max_connections"];
    const rows = await c.query<{ name: string; setting: string; unit: string | null }>(
      "SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)",
      [names],
    );
    const settings: Record<string, string> = {};
    for (const r of rows.rows) settings[r.name] = r.setting + (r.unit && r.unit !== "" ? ` ${r.unit}` : "");
    return { version, settings };
  });
}

/** The station the server serves ("fuwen"), made empty with the default categories if missing. */
export async function stationId(db: Db, slug = "fuwen"): Promise<number> {
  const [existing] = await db.select({ id: stations.id }).from(stations).where(eq(stations.slug, slug));
  return existing?.id ?? (await createEmptyStation(db, slug)).id;
}

/** A coordinator: person + account + role rows. The password hash is a placeholder nobody can sign in with. */
export async function makeCoordinator(db: Db, station: number): Promise<Actor> {
  const email = `rush-coordinator-${process.pid}-${crypto.randomBytes(3).toString("hex")}@bench.example`;
  const [person] = await db.insert(people).values({ stationId: station, fullName: "抢号协调员", email }).returning({ id: people.id });
  const [account] = await db.insert(accounts).values({ email, passwordHash: "!bench-no-login", personId: person!.id }).returning({ id: accounts.id });
  await db.insert(stationRoles).values({ accountId: account!.id, stationId: station, role: "coordinator" });
  return { accountId: account!.id, personId: person!.id, roles: ["coordinator"] };
}

let rushSessionsMade = 0;

/**
 * A one-off free clinic 3 days ahead or later (signups open 14 days before), `capacity`
 * places, parties of 1. Each call takes the next day (3, 4, … 12 days ahead, then round again):
 * the same people rush several sessions, and one person cannot be confirmed in two places at
 * once (the commitments ledger, ADR 15), so sessions at one time would refuse them with 409.
 */
export async function makeRushSession(db: Db, station: number, capacity: number, title: string): Promise<number> {
  const [category] = await db
    .select({ id: categories.id })
    .from(categories)
    .where(and(eq(categories.stationId, station), eq(categories.slug, "clinic")));
  if (!category) throw new Error("no 'clinic' category in the station");
  const start = DateTime.now()
    .setZone(ZONE)
    .plus({ days: 3 + (rushSessionsMade++ % 10) });
  const activityId = await createActivity(
    db,
    { stationId: station, timeZone: ZONE, actorAccountId: null, horizonDays: 30 },
    {
      categoryId: category.id,
      title,
      description: "",
      location: "驿站医疗保健区",
      leader: "",
      capacity,
      durationMinutes: 120,
      startDate: start.toISODate()!,
      startTime: "09:00",
      rule: null,
      exdates: [],
      maxPartySize: 1,
      signupOpensDays: 14,
      signupClosesMinutes: 60,
      cancelDeadlineMinutes: 120,
    },
  );
  const [session] = await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.activityId, activityId));
  if (!session) throw new Error("createActivity made no session");
  return session.id;
}

/** `count` people without accounts, a few hundred per statement. */
export async function makePeople(db: Db, station: number, count: number, prefix: string): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i += 500) {
    const n = Math.min(500, count - i);
    const rows = await db
      .insert(people)
      .values(Array.from({ length: n }, (_, k) => ({ stationId: station, fullName: `${prefix}${i + k + 1}` })))
      .returning({ id: people.id });
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

/**
 * `count` residents who book for themselves, as on free-clinic morning: each a person with an
 * email, an account (a password nobody can sign in with), the resident role and an API token,
 * a few hundred rows per statement. Each one's own token means each one's own mail budget.
 */
export async function makeResidents(db: Db, station: number, count: number, prefix: string): Promise<{ personIds: number[]; tokens: string[] }> {
  const personIds: number[] = [];
  const tokens: string[] = [];
  const run = crypto.randomBytes(3).toString("hex");
  for (let i = 0; i < count; i += 500) {
    const n = Math.min(500, count - i);
    const emails = Array.from({ length: n }, (_, k) => `rush-${run}-${i + k + 1}@bench.example`);
    const made = await db
      .insert(people)
      .values(emails.map((email, k) => ({ stationId: station, fullName: `${prefix}${i + k + 1}`, email })))
      .returning({ id: people.id });
    const accountRows = await db
      .insert(accounts)
      .values(made.map((p, k) => ({ email: emails[k]!, passwordHash: "!bench-no-login", personId: p.id })))
      .returning({ id: accounts.id });
    await db.insert(stationRoles).values(accountRows.map((a) => ({ accountId: a.id, stationId: station, role: "resident" as const })));
    const batch = accountRows.map(() => TOKEN_PREFIX + crypto.randomBytes(32).toString("base64url"));
    await db.insert(apiTokens).values(accountRows.map((a, k) => ({ accountId: a.id, name: "rush bench", tokenHash: hashApiToken(batch[k]!) })));
    personIds.push(...made.map((p) => p.id));
    tokens.push(...batch);
  }
  return { personIds, tokens };
}

/** What the database says about a session after a rush: confirmed and waitlisted people, `taken`. */
export async function sessionOutcome(db: Db, sessionId: number) {
  const [row] = await db
    .select({
      confirmed: sql<number>`coalesce(sum(${signups.partySize}) filter (where ${signups.status} = 'confirmed'), 0)::int`,
      waitlisted: sql<number>`coalesce(sum(${signups.partySize}) filter (where ${signups.status} = 'waitlisted'), 0)::int`,
      signups: sql<number>`count(*) filter (where ${signups.status} <> 'cancelled')::int`,
      duplicates: sql<number>`(count(*) filter (where ${signups.status} <> 'cancelled') - count(distinct ${signups.personId}) filter (where ${signups.status} <> 'cancelled'))::int`,
    })
    .from(signups)
    .where(eq(signups.sessionId, sessionId));
  const [session] = await db.select({ taken: sessions.taken, capacity: sessions.capacity }).from(sessions).where(eq(sessions.id, sessionId));
  return {
    confirmed: row?.confirmed ?? 0,
    waitlisted: row?.waitlisted ?? 0,
    signups: row?.signups ?? 0,
    duplicates: row?.duplicates ?? 0,
    taken: session?.taken ?? NaN,
    capacity: session?.capacity ?? NaN,
  };
}

export type Outcome = Awaited<ReturnType<typeof sessionOutcome>>;

/** Nearest-rank percentiles of a list of latencies (ms). */
export function latencyStats(values: number[]): { p50: number; p95: number; p99: number; max: number } {
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! : NaN);
  return { p50: at(50), p95: at(95), p99: at(99), max: sorted.length ? sorted[sorted.length - 1]! : NaN };
}

/** Runs `jobs` with at most `clients` in flight: each client takes the next job when done (and knows which client it is). */
export async function withClients(clients: number, count: number, job: (i: number, client: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(clients, count) }, async (_, client) => {
      while (next < count) await job(next++, client);
    }),
  );
}

/** utime + stime of every process named `postgres` (the postmaster and all its backends), by pid. */
export function postgresTicks(): Map<number, number> {
  const ticks = new Map<number, number>();
  let pids: string[] = [];
  try {
    pids = fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return ticks; // Not Linux: the figures say n/a.
  }
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const open = stat.indexOf("(");
      const close = stat.lastIndexOf(")");
      if (stat.slice(open + 1, close) !== "postgres") continue;
      const fields = stat.slice(close + 2).split(" ");
      ticks.set(Number(pid), Number(fields[11]) + Number(fields[12]));
    } catch {
      // The process ended meanwhile.
    }
  }
  return ticks;
}

/**
 * PostgreSQL's CPU between two readings, in ms. Backends that ended in between are lost, so
 * measure while the pool's connections stay open; those that started in between count whole.
 */
export function postgresCpuMs(a: Map<number, number>, b: Map<number, number>): number {
  if (b.size === 0) return NaN;
  let ticks = 0;
  for (const [pid, t] of b) ticks += t - (a.get(pid) ?? 0);
  return ticks * 10; // USER_HZ = 100
}

/** In cores over a wall interval. */
export const coresOver = (cpuMs: number, wallMs: number) => cpuMs / wallMs;
export const CORES = os.cpus().length;
