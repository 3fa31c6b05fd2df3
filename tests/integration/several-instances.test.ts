// Several instances on one PostgreSQL, as docs/operations.md describes them: two web servers
// (RUN_WORKER=false) and two `npm run worker` processes, all child processes on one database.
// - a signup rush spread over both servers, at the size of free-clinic morning (2,000 signed-in
//   residents, 80 places, 200 clients): exactly 80 confirmed, the rest waitlisted, no 5xx;
// - 1,000 reminders due at once (beside the rush's own mail) and two workers, one SIGKILLed
//   mid-batch: the other takes its rows once their lease runs out, and every due mail reaches
//   the loopback SMTP server, at most the one in flight twice;
// - one server's database connection cut (a TCP proxy in front of PostgreSQL, never the shared
//   server itself): that server answers 503 with a plain message and no hang while the other
//   serves on, and it answers 200 again once the proxy is back.
// A PostgreSQL restart mid-rush is postgres-restart.test.ts (a server of its own).
// Connections: 10 per server (the default pool), 2 per worker, 2 for the test (≤ 26 of the 100 shared).
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray, lte, ne, sql } from "drizzle-orm";
import { openDatabase, type DatabaseHandle } from "../../models/db";
import { notifications, signups } from "../../models/db/schema";
import { signUp } from "../../models/signups";
import { ensureStation, makeAccount } from "../support/fixtures";
import { makeSignedInResidents } from "../support/bulk-residents";
import { makeSession } from "../support/signup-fixtures";
import { postSignup, request, startChildServer, type ChildServer } from "../support/child-server";
import { startPostgresProxy, type PostgresProxy } from "../support/postgres-proxy";
import { createDatabase } from "../support/db";
import { duplicatesOf, startSmtp, type TestSmtp } from "../support/smtp";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const adminUrl = process.env.TEST_DATABASE_URL;
const CAPACITY = 80;
const PEOPLE = 2000;
const CLIENTS = 200;
const REMINDERS = 1000;
// Short, so the test need not wait the real minute, but long enough that a worker stalled for a
// few seconds on this loaded two-core machine does not lose a lease it is still working under.
const LEASE_SECONDS = 6;

/** Waits (polling) until `check` holds; a bound against hanging only, never a timing claim. */
async function until(check: () => Promise<boolean> | boolean, what: string, ms = 120_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Worker {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  log: () => string;
}

describe.runIf(adminUrl)("two web servers and two workers on one PostgreSQL", () => {
  const cleanups: (() => Promise<void>)[] = [];
  const servers: ChildServer[] = [];
  const workers: Worker[] = [];
  let url: URL;
  let handle: DatabaseHandle;
  let proxy: PostgresProxy;
  let smtp: TestSmtp;
  let a: ChildServer; // straight to PostgreSQL
  let b: ChildServer; // through the proxy the test can cut
  let sessionId = 0;
  let cookies: string[] = [];
  let personIds: number[] = [];

  beforeAll(async () => {
    const created = await createDatabase(adminUrl!, "hearth_i");
    cleanups.push(created.drop);
    url = created.url;

    // The station, a session and the people who will rush it, written before any process starts.
    handle = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: 2 });
    cleanups.push(() => handle.close());
    await handle.migrate();
    const station = await ensureStation(handle.db);
    ({ sessionId } = await makeSession(handle.db, station.id, { capacity: CAPACITY, maxPartySize: 1, daysAhead: 5, title: "春季义诊" }));
    ({ personIds, cookies } = await makeSignedInResidents(handle.db, station.id, PEOPLE));

    smtp = await startSmtp({ delayMs: 2 });
    cleanups.push(() => smtp.close());
    proxy = await startPostgresProxy(url);
    cleanups.push(() => proxy.close());
    const common = {
      RUN_WORKER: "false",
      // The defaults (pool 10, 5 s to get a connection): 200 clients queue on 20 connections,
      // and a loaded CI machine must not turn that queue into "try again".
      DATABASE_POOL_SIZE: "10",
      DATABASE_CONNECT_TIMEOUT_MS: "5000",
      DATABASE_STATEMENT_TIMEOUT_MS: "5000",
      PAGE_CACHE_SECONDS: "0",
      SMTP_URL: smtp.url,
    };
    [a, b] = await Promise.all([
      startChildServer({ ...common, DATABASE_URL: url.toString() }),
      startChildServer({ ...common, DATABASE_URL: proxy.url }),
    ]);
    servers.push(a, b);
  }, 600_000);

  afterAll(async () => {
    for (const p of [...servers.map((s) => ({ child: s.child, exited: s.exited })), ...workers]) {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
      await p.exited;
    }
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  function startWorker(n: number): Worker {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: url.toString(),
      DATABASE_POOL_SIZE: "2",
      SMTP_URL: smtp.url,
      // Each worker signs its mail with its own sender, so the test sees who sent what.
      MAIL_FROM: `家庭健康驿站 <worker${n}@hearth.example>`,
      PUBLIC_URL: "https://hearth.example.org",
      WORKER_POLL_SECONDS: "0.1",
      WORKER_LEASE_SECONDS: String(LEASE_SECONDS),
    };
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout!.on("data", (c: Buffer) => (log += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (log += c.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on("exit", (code, signal) => resolve({ code, signal })),
    );
    const worker = { child, exited, log: () => log };
    workers.push(worker);
    return worker;
  }

  it("a signup rush through both servers confirms exactly the capacity and waitlists the rest, with no 5xx", async () => {
    const replies: { status: number; location: string; server: "a" | "b" }[] = [];
    let next = 0;
    // 200 clients at once, each taking the next person, alternating servers.
    const client = async () => {
      for (let i = next++; i < PEOPLE; i = next++) {
        const server = i % 2 === 0 ? a : b;
        const reply = await postSignup(server.port, sessionId, cookies[i]!);
        replies.push({ status: reply.status, location: String(reply.headers.location ?? ""), server: server === a ? "a" : "b" });
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));

    const byStatus = new Map<number, number>();
    for (const r of replies) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    console.log(`[instances] rush: ${[...byStatus].map(([code, n]) => `${code}×${n}`).join(", ")} over ${CLIENTS} clients`);
    // A 5xx is explained by the servers' own error lines (by code, never with parameters).
    if (replies.some((r) => r.status >= 500))
      console.log(
        `[instances] server errors:\n${[a, b]
          .flatMap((s) =>
            s
              .log()
              .split("\n")
              .filter((l) => /\[hearth\]|rror/.test(l)),
          )
          .slice(0, 20)
          .join("\n")}`,
      );
    expect(replies.filter((r) => r.status >= 500)).toEqual([]);
    expect(replies.every((r) => r.status === 302)).toBe(true);
    const told = (status: string) => replies.filter((r) => r.location === `/sessions/${sessionId}?done=${status}`).length;
    expect(told("confirmed")).toBe(CAPACITY);
    expect(told("waitlisted")).toBe(PEOPLE - CAPACITY);
    expect(new Set(replies.map((r) => r.server))).toEqual(new Set(["a", "b"]));

    const rows = await handle.db.select().from(signups).where(eq(signups.sessionId, sessionId));
    expect(rows.filter((r) => r.status === "confirmed").length).toBe(CAPACITY);
    expect(rows.filter((r) => r.status === "waitlisted").length).toBe(PEOPLE - CAPACITY);
    expect(new Set(rows.map((r) => r.personId)).size).toBe(PEOPLE); // one signup each, none twice
  }, 300_000);

  it("1,000 reminders and the rush's mail, two workers, one killed mid-batch: the other takes its rows after the lease, every mail arrives, at most the one in flight twice", async () => {
    // A tai chi class the first 1,000 residents booked days ago, whose reminders all fall due now.
    const station = await ensureStation(handle.db);
    const { sessionId: taiChi } = await makeSession(handle.db, station.id, { capacity: REMINDERS, maxPartySize: 1, daysAhead: 6, title: "太极拳" });
    const coordinator = await makeAccount(handle.db, station.id, ["coordinator"], "协调员");
    const actor = { accountId: coordinator.accountId, personId: coordinator.personId, roles: ["coordinator" as const] };
    const booked: { id: number; personId: number }[] = [];
    for (const personId of personIds.slice(0, REMINDERS)) {
      const result = await signUp(handle.db, { stationId: station.id, actor }, { sessionId: taiChi, personId, partySize: 1 });
      expect(result.status).toBe("confirmed");
      booked.push({ id: result.id, personId });
    }
    // Their confirmations went out when they booked; what is due now is the reminders.
    await handle.db
      .update(notifications)
      .set({ status: "sent" })
      .where(and(eq(notifications.sessionId, taiChi), ne(notifications.status, "sent")));
    await handle.db.insert(notifications).values(
      booked.map((signup) => ({
        stationId: station.id,
        kind: "reminder" as const,
        dedupeKey: `reminder-now:${signup.id}`,
        personId: signup.personId,
        signupId: signup.id,
        sessionId: taiChi,
        dueAt: new Date(Date.now() - 1000),
        expiresAt: new Date(Date.now() + 86400_000),
      })),
    );
    const due = await handle.db
      .select({ id: notifications.id, kind: notifications.kind })
      .from(notifications)
      .where(and(eq(notifications.status, "pending"), lte(notifications.dueAt, new Date())));
    expect(due.filter((r) => r.kind === "reminder").length).toBe(REMINDERS);
    expect(due.length).toBe(PEOPLE + REMINDERS); // one confirmation or waitlist mail per rusher, and the reminders
    const ids = due.map((r) => r.id);
    const mine = new Set(due.map((r) => `<n${r.id}.${r.kind}@hearth.example>`));
    const ours = () => smtp.received.filter((m) => mine.has(m.messageId));
    const from = (n: number) => ours().filter((m) => m.from === `worker${n}@hearth.example`);

    const first = startWorker(1);
    const second = startWorker(2);
    // Both at work; the first killed while it is sending.
    // Killed mid-batch (batches are 50 rows; 3,000 are due, so every batch is full): the first
    // worker then certainly holds claimed rows it never sends, which the second must take over.
    await until(() => {
      const sent = from(1).length;
      return sent >= 100 && sent % 50 >= 5 && sent % 50 <= 40 && from(2).length >= 1;
    }, "both workers to send, the first in the middle of a batch");
    first.child.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
    const sentByFirst = new Set(from(1).map((m) => m.messageId));

    await until(async () => {
      const [left] = await handle.db
        .select({ n: sql<number>`count(*)::int` })
        .from(notifications)
        .where(and(inArray(notifications.id, ids), sql`${notifications.status} <> 'sent'`));
      return left!.n === 0;
    }, "the second worker to send everything");
    second.child.kill("SIGTERM");
    expect(await second.exited).toEqual({ code: 0, signal: null });

    const received = ours();
    const { distinct, duplicates } = duplicatesOf(received);
    // Rows the first worker had claimed and never finished: claimed again (attempts 2) by the second.
    const taken = await handle.db
      .select({ id: notifications.id, kind: notifications.kind })
      .from(notifications)
      .where(and(inArray(notifications.id, ids), sql`${notifications.attempts} >= 2`));
    const takenIds = new Set(taken.map((r) => `<n${r.id}.${r.kind}@hearth.example>`));
    console.log(
      `[instances] due=${ids.length} received=${received.length} distinct=${distinct} duplicates=${duplicates.length} ` +
        `by-first=${sentByFirst.size} by-second=${from(2).length} taken-over=${taken.length}`,
    );
    expect(distinct).toBe(ids.length); // none lost
    expect(taken.length).toBeGreaterThan(0); // the second worker took over the first one's lease
    for (const id of takenIds) expect(received.filter((m) => m.messageId === id).at(-1)!.from).toBe("worker2@hearth.example");
    // At most the message in flight at the kill went out twice, and only one the killed worker held.
    expect(duplicates.length).toBeLessThanOrEqual(1);
    for (const id of duplicates) expect(takenIds.has(id) && sentByFirst.has(id)).toBe(true);
    for (const line of (first.log() + second.log()).split("\n").filter((l) => l.startsWith("[worker]"))) expect(line).not.toContain("@");
  }, 300_000);

  it("a server whose database connection is cut answers 503 plainly and at once, the other serves on, and it recovers", async () => {
    expect((await request(b.port, "GET", "/calendar")).status).toBe(200);
    await proxy.cut();
    try {
      // `request` gives up after 15 s: an answer at all is the "no hang".
      const page = await request(b.port, "GET", "/calendar", {}, undefined, 15_000);
      expect(page.status).toBe(503);
      expect(page.headers["retry-after"]).toBeDefined();
      expect(page.body).toContain("请稍后再试");
      expect(page.body).not.toMatch(/at .*\.(ts|js):\d+/);
      const api = await request(b.port, "GET", "/api/v1/categories", {}, undefined, 15_000);
      expect(api.status).toBe(503);
      expect(JSON.parse(api.body)).toMatchObject({ error: { code: "unavailable" } });
      expect((await request(b.port, "GET", "/readyz", {}, undefined, 15_000)).status).toBe(503);
      // The other instance shares the database, not the cut connection.
      expect((await request(a.port, "GET", "/calendar")).status).toBe(200);
      expect((await request(a.port, "GET", "/readyz")).status).toBe(200);
    } finally {
      await proxy.restore();
    }
    await until(async () => {
      const page = await request(b.port, "GET", "/calendar", {}, undefined, 15_000);
      expect([200, 503]).toContain(page.status); // never a 500 while it comes back
      return page.status === 200;
    }, "the cut server to recover");
    expect((await request(b.port, "GET", "/readyz")).status).toBe(200);
    for (const server of [a, b]) expect(server.log()).not.toMatch(/ 500 |Unexpected Server Error/);
  }, 120_000);
});
