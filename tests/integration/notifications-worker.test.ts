/**
 * The worker's promises: due rows are claimed once (SKIP LOCKED + a lease), each is marked the
 * moment it is sent, failures back off and are given up in the end, expired mail is never
 * sent, and a worker killed mid-batch loses nothing. Time is driven with `now`, not slept.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray, sql } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makeSession } from "../support/signup-fixtures";
import { duplicatesOf, startSmtp, type TestSmtp } from "../support/smtp";
import { signUp } from "../../models/signups";
import { openDatabase, type Db } from "../../models/db";
import { notifications, people, type NotificationKind } from "../../models/db/schema";
import { mailSettings } from "../../models/notifications/render";
import { smtpTransport, type MailTransport } from "../../models/notifications/transport";
import { outboxFile } from "../../models/notifications/outbox";
import { MAX_ATTEMPTS, runOnce, startWorker } from "../../models/notifications/worker";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const MAIL_FROM = "家庭健康驿站 <no-reply@hearth.example>";
const settings = mailSettings({ MAIL_FROM, PUBLIC_URL: "https://hearth.example.org", PORT: 3000 });
const MINUTE = 60_000;
const messageId = (id: number, kind: NotificationKind = "signup_confirmed") => `<n${id}.${kind}@hearth.example>`;

/** Waits (polling) until `check` holds; a bound only against hanging, never a timing claim. */
async function until(check: () => Promise<boolean>, what: string, ms = 120_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function fixtureFor(t: { db: Db }) {
  const state = { stationId: 0, personId: 0, signupId: 0, sessionId: 0 };
  return {
    state,
    async setUp() {
      state.stationId = (await ensureStation(t.db)).id;
      const coordinator = await makeActor(t.db, state.stationId, ["coordinator"]);
      const session = await makeSession(t.db, state.stationId, { capacity: 10, title: "太极拳", daysAhead: 5 });
      state.sessionId = session.sessionId;
      const [p] = await t.db
        .insert(people)
        .values({ stationId: state.stationId, fullName: "李秀英", email: "li@example.cn", needs: "NEEDS-SECRET" })
        .returning({ id: people.id });
      state.personId = p!.id;
      state.signupId = (
        await signUp(t.db, { stationId: state.stationId, actor: coordinator }, { sessionId: session.sessionId, personId: p!.id, partySize: 1 })
      ).id;
    },
    /** `count` rows due at `dueAt`, written directly (whatever else writes rows). */
    async rows(count: number, options: { kind?: NotificationKind; dueAt?: Date; expiresAt?: Date } = {}) {
      const dueAt = options.dueAt ?? new Date(Date.now() - 1000);
      const inserted = await t.db
        .insert(notifications)
        .values(
          Array.from({ length: count }, () => ({
            stationId: state.stationId,
            kind: options.kind ?? ("signup_confirmed" as const),
            dedupeKey: `test:${crypto.randomUUID()}`,
            personId: state.personId,
            signupId: state.signupId,
            sessionId: state.sessionId,
            dueAt,
            expiresAt: options.expiresAt ?? new Date(dueAt.getTime() + 30 * 86400_000),
          })),
        )
        .returning();
      return inserted;
    },
    async get(id: number) {
      return (await t.db.select().from(notifications).where(eq(notifications.id, id)))[0]!;
    },
  };
}

for (const backend of backends) {
  describe(`notification worker on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    const f = fixtureFor(t);
    let smtp: TestSmtp;
    let transport: MailTransport;

    beforeAll(async () => {
      smtp = await startSmtp();
      transport = smtpTransport(smtp.url);
      await f.setUp();
    });
    afterAll(async () => {
      await transport?.close();
      await smtp?.close();
    });
    const receivedFor = (id: number, kind?: NotificationKind) => smtp.received.filter((m) => m.messageId === messageId(id, kind)).length;

    it("backs off while the SMTP server is down or refusing, and delivers once when it is back", async () => {
      const [row] = await f.rows(1);
      const t0 = new Date(row!.dueAt.getTime() + 1000);
      await smtp.down();
      try {
        await runOnce(t.db, { transport, settings, now: t0, batchSize: 500 });
        expect(await f.get(row!.id)).toMatchObject({
          status: "pending",
          attempts: 1,
          dueAt: new Date(t0.getTime() + 2 * MINUTE),
          claimedUntil: null,
        });
        expect((await f.get(row!.id)).lastError).toBeTruthy();
        // Not due yet a minute later: nothing is tried.
        await runOnce(t.db, { transport, settings, now: new Date(t0.getTime() + MINUTE), batchSize: 500 });
        expect((await f.get(row!.id)).attempts).toBe(1);
      } finally {
        await smtp.up();
      }
      smtp.refuse("4xx");
      try {
        await runOnce(t.db, { transport, settings, now: new Date(t0.getTime() + 2 * MINUTE), batchSize: 500 });
        expect(await f.get(row!.id)).toMatchObject({ status: "pending", attempts: 2, dueAt: new Date(t0.getTime() + 6 * MINUTE) });
        expect((await f.get(row!.id)).lastError).toMatch(/451/);
      } finally {
        smtp.refuse(null);
      }
      expect(receivedFor(row!.id)).toBe(0);
      await runOnce(t.db, { transport, settings, now: new Date(t0.getTime() + 6 * MINUTE), batchSize: 500 });
      expect(await f.get(row!.id)).toMatchObject({ status: "sent", attempts: 3, sentAt: new Date(t0.getTime() + 6 * MINUTE), lastError: null });
      expect(receivedFor(row!.id)).toBe(1);
      // Done is done: later passes leave it alone.
      await runOnce(t.db, { transport, settings, now: new Date(t0.getTime() + 60 * MINUTE), batchSize: 500 });
      expect(receivedFor(row!.id)).toBe(1);
    });

    it(`gives up after ${MAX_ATTEMPTS} attempts, and sooner when the next try would be past the expiry`, async () => {
      const [stubborn] = await f.rows(1);
      smtp.refuse("4xx");
      try {
        let now = new Date(stubborn!.dueAt.getTime() + 1000);
        for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
          await runOnce(t.db, { transport, settings, now, batchSize: 500 });
          const state = await f.get(stubborn!.id);
          expect(state.attempts).toBe(attempt);
          expect(state.status).toBe(attempt < MAX_ATTEMPTS ? "pending" : "failed");
          // 2, 4, 8, 16, 32, then an hour at most between tries.
          if (attempt < MAX_ATTEMPTS) expect(state.dueAt.getTime() - now.getTime()).toBe(Math.min(2 ** attempt, 60) * MINUTE);
          now = state.dueAt;
        }
        const due = new Date(Date.now() - 1000);
        const [shortLived] = await f.rows(1, { dueAt: due, expiresAt: new Date(due.getTime() + 3 * MINUTE) });
        await runOnce(t.db, { transport, settings, now: new Date(due.getTime() + 1000), batchSize: 500 });
        expect((await f.get(shortLived!.id)).status).toBe("pending"); // retry at +2 min, still before expiry
        await runOnce(t.db, { transport, settings, now: new Date(due.getTime() + 2 * MINUTE + 1000), batchSize: 500 });
        expect(await f.get(shortLived!.id)).toMatchObject({ status: "failed", attempts: 2 }); // +4 min would be too late
        expect((await f.get(shortLived!.id)).lastError).toMatch(/451/);
      } finally {
        smtp.refuse(null);
      }
      expect(receivedFor(stubborn!.id)).toBe(0);
    });

    it("gives up an expired reminder without sending it", async () => {
      const due = new Date(Date.now() - 90 * MINUTE);
      const [late] = await f.rows(1, { kind: "reminder", dueAt: due, expiresAt: new Date(Date.now() - MINUTE) });
      await runOnce(t.db, { transport, settings, batchSize: 500 });
      expect(await f.get(late!.id)).toMatchObject({ status: "failed", lastError: "expired", sentAt: null });
      expect(receivedFor(late!.id, "reminder")).toBe(0);
    });

    it("leaves a row another worker holds until its lease ends, then sends it", async () => {
      const [held] = await f.rows(1);
      const now = new Date(held!.dueAt.getTime() + 1000);
      await t.db
        .update(notifications)
        .set({ claimedUntil: new Date(now.getTime() + 10 * MINUTE), attempts: 1 })
        .where(eq(notifications.id, held!.id));
      await runOnce(t.db, { transport, settings, now, batchSize: 500 });
      expect(await f.get(held!.id)).toMatchObject({ status: "pending", attempts: 1 });
      await runOnce(t.db, { transport, settings, now: new Date(now.getTime() + 11 * MINUTE), batchSize: 500 });
      expect(await f.get(held!.id)).toMatchObject({ status: "sent", attempts: 2 });
      expect(receivedFor(held!.id)).toBe(1);
    });

    it("keeps its claim alive by heartbeat through a batch longer than the lease; a second worker meanwhile takes none of it", async () => {
      const rows = await f.rows(5);
      const ids = rows.map((r) => r.id);
      // A server that takes 200 ms a message against a 400 ms lease: without the heartbeat the
      // batch would outlive its claim, and the second worker below would take the rest.
      const slow: MailTransport = { kind: "smtp", send: () => new Promise((r) => setTimeout(r, 200)), close: async () => {} };
      await t.db
        .update(notifications)
        .set({ dueAt: new Date(Date.now() + 3600_000) })
        .where(and(eq(notifications.status, "pending"), sql`${notifications.id} <> all(${`{${ids.join(",")}}`}::bigint[])`));
      const first = runOnce(t.db, { transport: slow, settings, batchSize: 5, leaseSeconds: 0.4 });
      // Poll as a second worker would, past the first claim's original end.
      let stolen = 0;
      let firstDone = false;
      void first.then(() => (firstDone = true));
      while (!firstDone) {
        await new Promise((r) => setTimeout(r, 60));
        if (!firstDone) stolen += (await runOnce(t.db, { transport, settings, batchSize: 5, leaseSeconds: 0.4 })).claimed;
      }
      const result = await first;
      expect(stolen).toBe(0);
      expect(result).toMatchObject({ claimed: 5, sent: 5 });
      const states = await t.db.select().from(notifications).where(inArray(notifications.id, ids));
      for (const row of states) expect(row).toMatchObject({ status: "sent", attempts: 1, claimedUntil: null });
    });

    it("polls, drains full batches, logs counts without personal data, and stops", async () => {
      const rows = await f.rows(7);
      const lines: string[] = [];
      const worker = startWorker(
        t.db,
        { transport, settings, batchSize: 3, pollSeconds: 0.05, log: (line) => lines.push(line) },
        { WORKER_POLL_SECONDS: 15, WORKER_LEASE_SECONDS: 60 },
      );
      try {
        const ids = rows.map((r) => r.id);
        await until(async () => {
          const states = await t.db.select({ status: notifications.status }).from(notifications).where(inArray(notifications.id, ids));
          return states.every((s) => s.status === "sent");
        }, "the worker to send 7 rows");
      } finally {
        await worker.stop();
      }
      for (const row of rows) expect(receivedFor(row.id)).toBe(1);
      expect(lines.length).toBeGreaterThanOrEqual(3); // 7 rows in batches of 3
      for (const line of lines) {
        expect(line).toMatch(/^\[worker\] batch claimed=\d+ sent=\d+ retried=\d+ skipped=\d+ failed=\d+$/);
        expect(line).not.toContain("@");
      }
      // Stopped: a new row stays where it is.
      const [after] = await f.rows(1);
      await new Promise((r) => setTimeout(r, 200));
      expect((await f.get(after!.id)).status).toBe("pending");
    });
  });
}

/** The URL of the database useBackend opened, for a second pool or a child process. */
async function urlOf(db: Db) {
  const result = await db.execute<{ name: string }>(sql`select current_database() as name`);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${result.rows[0]!.name}`;
  return url.toString();
}

// Several processes on one database: PostgreSQL only (PGlite is one process by design).
for (const backend of backends.filter((b) => b.name === "postgres")) {
  describe(`notification workers side by side on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    const f = fixtureFor(t);
    let smtp: TestSmtp;
    const children: ChildProcess[] = [];

    beforeAll(async () => {
      smtp = await startSmtp();
      await f.setUp();
    });
    afterAll(async () => {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await smtp?.close();
    });

    it("two workers on separate pools drain 1,000 due rows, each delivered exactly once", async () => {
      const rows = await f.rows(1000);
      const ofTheseRows = inArray(
        notifications.id,
        rows.map((r) => r.id),
      );
      const url = await urlOf(t.db);
      const handles = await Promise.all([0, 1].map(() => openDatabase({ kind: "postgres", url, poolSize: 2 })));
      const transports = handles.map(() => smtpTransport(smtp.url));
      const claimedBy = [0, 0];
      const outcomes = { sent: 0, retried: 0, failed: 0, skipped: 0 };
      const tally = (result: Awaited<ReturnType<typeof runOnce>>) => {
        for (const key of Object.keys(outcomes) as (keyof typeof outcomes)[]) outcomes[key] += result[key];
      };
      try {
        await Promise.all(
          handles.map(async (handle, i) => {
            for (;;) {
              const result = await runOnce(handle.db, { transport: transports[i]!, settings, batchSize: 25 });
              claimedBy[i]! += result.claimed;
              tally(result);
              if (result.claimed === 0) return;
            }
          }),
        );
        // A send the server refused for a moment (the whole suite shares this machine) is due
        // again after its back-off: deliver it as the worker would then. Exactly-once is about
        // what arrives, so a retried row still counts once.
        for (let pass = 0; pass < 5; pass++) {
          const [next] = await t.db
            .select({ at: sql<Date | null>`max(${notifications.dueAt})` })
            .from(notifications)
            .where(and(ofTheseRows, eq(notifications.status, "pending")));
          if (!next?.at) break;
          tally(
            await runOnce(handles[0]!.db, {
              transport: transports[0]!,
              settings,
              batchSize: 1000,
              now: new Date(new Date(next.at).getTime() + 1000),
            }),
          );
        }
      } finally {
        await Promise.all(transports.map((tr) => tr.close()));
        await Promise.all(handles.map((h) => h.close()));
      }
      const mine = new Set(rows.map((r) => messageId(r.id)));
      const received = smtp.received.filter((m) => mine.has(m.messageId));
      const { distinct, duplicates } = duplicatesOf(received);
      console.log(
        `[two workers] rows=1000 received=${received.length} distinct=${distinct} duplicates=${duplicates.length} claimed=${claimedBy.join("+")} outcomes=${JSON.stringify(outcomes)}`,
      );
      expect(outcomes.failed + outcomes.skipped).toBe(0);
      expect(distinct).toBe(1000);
      expect(duplicates).toEqual([]);
      expect(received).toHaveLength(1000);
      // Both took part: the rows were shared out, not drained by one while the other idled.
      expect(claimedBy[0]).toBeGreaterThan(0);
      expect(claimedBy[1]).toBeGreaterThan(0);
      const [left] = await t.db
        .select({ n: sql<number>`count(*)::int` })
        .from(notifications)
        .where(and(ofTheseRows, sql`${notifications.status} <> 'sent'`));
      expect(left!.n).toBe(0);
    }, 180_000);

    it("a database too slow while a mail is rendered: the row is tried again after its back-off, not given up", async () => {
      const [row] = await f.rows(1);
      const url = await urlOf(t.db);
      const handle = await openDatabase({ kind: "postgres", url, poolSize: 1, statementTimeoutMs: 300 });
      const tr = smtpTransport(smtp.url);
      try {
        const now = new Date();
        // Another transaction holds the people table: reading the recipient runs past statement_timeout.
        const first = await t.db.transaction(async (tx) => {
          await tx.execute(sql`LOCK TABLE ${people} IN ACCESS EXCLUSIVE MODE`);
          return runOnce(handle.db, { transport: tr, settings, batchSize: 1000, now });
        });
        expect(first.failed).toBe(0);
        expect(first.retried).toBeGreaterThanOrEqual(1);
        const held = await f.get(row!.id);
        expect(held).toMatchObject({ status: "pending", claimedUntil: null });
        expect(held.dueAt.getTime()).toBeGreaterThan(now.getTime());
        expect(held.lastError).toContain("57014");
        // Once the table is free, the next pass after the back-off delivers it.
        const later = await runOnce(handle.db, { transport: tr, settings, batchSize: 1000, now: new Date(held.dueAt.getTime() + 1000) });
        expect(later.sent).toBeGreaterThanOrEqual(1);
        expect((await f.get(row!.id)).status).toBe("sent");
        expect(smtp.received.filter((m) => m.messageId === messageId(row!.id)).length).toBe(1);
      } finally {
        await tr.close();
        await handle.close();
      }
    });

    it("a worker process killed with SIGKILL mid-batch: its rows go out again one lease later, none lost, duplicates at most the message in flight", async () => {
      const LEASE_SECONDS = 3;
      const rows = await f.rows(200);
      const ids = rows.map((r) => r.id);
      const mine = new Set(rows.map((r) => messageId(r.id)));
      const url = await urlOf(t.db);
      smtp.delayMs = 25; // slow enough to be caught mid-send
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        DATABASE_URL: url,
        SMTP_URL: smtp.url,
        MAIL_FROM,
        PUBLIC_URL: "https://hearth.example.org",
        WORKER_POLL_SECONDS: "0.1",
        // Short, so the test need not wait a real minute; the default is 60 s.
        WORKER_LEASE_SECONDS: String(LEASE_SECONDS),
      };
      const start = () => {
        const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
        children.push(child);
        let log = "";
        child.stdout!.on("data", (c: Buffer) => (log += c.toString()));
        child.stderr!.on("data", (c: Buffer) => (log += c.toString()));
        const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
          child.on("exit", (code, signal) => resolve({ code, signal })),
        );
        return { child, exited, log: () => log };
      };
      const count = () => smtp.received.filter((m) => mine.has(m.messageId)).length;
      try {
        const first = start();
        await until(async () => count() >= 40, "the first worker to send 40 mails");
        first.child.kill("SIGKILL");
        const killedAt = Date.now();
        expect((await first.exited).signal).toBe("SIGKILL");
        const [progress] = await t.db
          .select({
            sent: sql<number>`(count(*) filter (where status = 'sent'))::int`,
            held: sql<number>`(count(*) filter (where status = 'pending' and claimed_until is not null))::int`,
          })
          .from(notifications)
          .where(inArray(notifications.id, ids));
        expect(progress!.sent).toBeGreaterThan(0);
        expect(progress!.sent).toBeLessThan(200);
        // Nobody moves the dead worker's claims: they end one lease after its last heartbeat,
        // not after its whole batch (the rows' own claimed_until says so).
        const [latest] = await t.db
          .select({ until: sql<Date>`max(${notifications.claimedUntil})`.mapWith((v: string) => new Date(v)) })
          .from(notifications)
          .where(and(inArray(notifications.id, ids), eq(notifications.status, "pending")));
        if (progress!.held > 0) expect(latest!.until.getTime()).toBeLessThanOrEqual(killedAt + LEASE_SECONDS * 1000 + 1000);

        smtp.delayMs = 0;
        const second = start();
        await until(async () => {
          const [left] = await t.db
            .select({ n: sql<number>`count(*)::int` })
            .from(notifications)
            .where(and(inArray(notifications.id, ids), sql`${notifications.status} <> 'sent'`));
          return left!.n === 0;
        }, "the restarted worker to send the rest");
        second.child.kill("SIGTERM");
        expect(await second.exited).toEqual({ code: 0, signal: null });
        for (const line of (first.log() + second.log()).split("\n").filter((l) => l.startsWith("[worker] batch"))) expect(line).not.toContain("@");

        const received = smtp.received.filter((m) => mine.has(m.messageId));
        const { distinct, duplicates } = duplicatesOf(received);
        console.log(
          `[SIGKILL] rows=200 sent-before-kill=${progress!.sent} held-at-kill=${progress!.held} received=${received.length} distinct=${distinct} duplicates=${duplicates.length}`,
        );
        expect(distinct).toBe(200); // none lost
        expect(duplicates.length).toBeLessThanOrEqual(1); // at most the one in flight
      } finally {
        smtp.delayMs = 0;
      }
    }, 180_000);
  });
}

describe("the server runs the worker (RUN_WORKER=true, embedded database, outbox)", () => {
  let scratch = "";
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("sends a due row to DATA_DIR/outbox and still exits 0 on SIGTERM", async () => {
    if (!fs.existsSync(path.join(root, "build/hearth/server.mjs"))) {
      await promisify(execFile)(process.execPath, ["scripts/build-if-changed.mjs"], { cwd: root, timeout: 180_000, maxBuffer: 64 * 1024 * 1024 });
    }
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-worker-"));
    const dataDir = path.join(scratch, "data");
    // A station already there (so no demo seed) with one due mail, written before the server starts.
    const handle = await openDatabase({ kind: "pglite", dataDir });
    let rowId = 0;
    try {
      await handle.migrate();
      const f = fixtureFor({ db: handle.db });
      await f.setUp();
      rowId = (await f.rows(1))[0]!.id;
    } finally {
      await handle.close();
    }
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      RUN_WORKER: "true",
      WORKER_POLL_SECONDS: "0.2",
      MAIL_FROM,
    };
    delete env.DATABASE_URL;
    delete env.SMTP_URL;
    child = spawn(process.execPath, ["build/hearth/server.mjs"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout!.on("data", (c: Buffer) => (log += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (log += c.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child!.on("exit", (code, signal) => resolve({ code, signal })),
    );
    const file = outboxFile({ dataDir }, rowId);
    await until(async () => {
      if (child!.exitCode !== null) throw new Error(`server exited:\n${log}`);
      return fs.existsSync(file);
    }, "the server's worker to write the outbox file");
    expect(fs.readFileSync(file, "utf8")).toContain(`Message-ID: ${messageId(rowId)}`);
    child.kill("SIGTERM");
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(log).toMatch(/\[worker\] batch claimed=\d+ sent=\d+/);
  }, 180_000);
});
