/**
 * The mail bench: notification rows through the real worker (models/notifications/worker.ts)
 * and its pooled SMTP transport to an SMTP server on 127.0.0.1 (smtp-server, in this process).
 *
 * 1. Throughput: ~1,000 due confirmations (written by 1,000 real signUp calls), drained by
 *    runOnce passes back to back: messages/s.
 * 2. Lag: rows due at instants spread over about 60 s, the worker running with its default
 *    poll (WORKER_POLL_SECONDS): p50/p95/max of (sent − due), both as the row records it
 *    (sent_at, the pass's clock) and as the SMTP server saw it accept the message.
 *
 * PostgreSQL when BENCH_DATABASE_URL, TEST_DATABASE_URL or DATABASE_URL names a server (a
 * fresh database is made and dropped), else PGlite in memory.
 */
import crypto from "node:crypto";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { SMTPServer } from "smtp-server";
import { and, eq, inArray, like, sql } from "drizzle-orm";
import { openDatabase, type DatabaseHandle, type Db } from "../../models/db";
import { notifications, people, signups } from "../../models/db/schema";
import { migrateDatabase } from "../../models/boot";
import { getConfig } from "../../models/config";
import { signUp } from "../../models/signups";
import { enqueue } from "../../models/notifications/enqueue";
import { runOnce, startWorker } from "../../models/notifications/worker";
import { smtpTransport, type MailTransport } from "../../models/notifications/transport";
import { makeCoordinator, makePeople, makeRushSession, stationId } from "./rush-db";
import { gitCommit, machine, type Machine } from "./report";
import { share, snapshot } from "./cpu";

export const MAIL_ROWS = 1000;
export const LAG_ROWS = 300;
export const LAG_SPREAD_S = 60;

export interface LagStats {
  p50: number;
  p95: number;
  max: number;
}

export interface MailFigures {
  when: string;
  machine: Machine;
  commit: string;
  backend: string;
  throughput?: { rows: number; sent: number; received: number; wallMs: number; perSecond: number; passes: number; other: number; benchCores: number };
  lag?: { rows: number; sent: number; pollSeconds: number; batchSize: number; recorded: LagStats; accepted: LagStats; wallS: number };
  error?: string;
  totalS: number;
}

const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** A fresh database on the given server, or PGlite in memory; `close` drops what it made. */
async function openBenchDatabase(): Promise<{ handle: DatabaseHandle; backend: string; close(): Promise<void> }> {
  if (!adminUrl) {
    const handle = await openDatabase({ kind: "pglite-memory" });
    return { handle, backend: "PGlite (in memory: no BENCH_DATABASE_URL, TEST_DATABASE_URL or DATABASE_URL)", close: () => handle.close() };
  }
  const name = `hearth_bench_${process.pid}_mail_${crypto.randomBytes(3).toString("hex")}`;
  const version = await admin(async (c) => {
    await c.query(`CREATE DATABASE ${name}`);
    return (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? "?";
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: 10 });
  return {
    handle,
    backend: `PostgreSQL ${version} (a fresh database on ${url.host})`,
    async close() {
      await handle.close();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** An SMTP server on 127.0.0.1 that accepts everything and notes when each message arrived. */
async function startSmtp() {
  const accepted = new Map<string, number>(); // Message-ID → Date.now() at acceptance
  let received = 0;
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS", "AUTH"],
    authOptional: true,
    logger: false,
    closeTimeout: 200,
    onData(stream, _session, callback) {
      let head = "";
      stream.on("data", (chunk: Buffer) => {
        if (head.length < 8192) head += chunk.toString("latin1");
      });
      stream.on("end", () => {
        received++;
        const id = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1];
        if (id) accepted.set(id, Date.now());
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    received: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function lagStats(valuesMs: number[]): LagStats {
  const sorted = [...valuesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  return { p50: at(0.5) / 1000, p95: at(0.95) / 1000, max: (sorted[sorted.length - 1] ?? NaN) / 1000 };
}

/** The transport, noting for each notification when the SMTP server accepted it. */
function timed(transport: MailTransport, sentAt: Map<number, number>): MailTransport {
  return {
    kind: transport.kind,
    async send(mail, meta) {
      await transport.send(mail, meta);
      sentAt.set(meta.notificationId, Date.now());
    },
    close: () => transport.close(),
  };
}

async function pending(db: Db, where = sql`true`): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.status, "pending"), where));
  return row?.n ?? 0;
}

export async function runMail(root: string, log: (message: string) => void): Promise<MailFigures> {
  const t0 = performance.now();
  const when = new Date().toISOString();
  const figures: MailFigures = { when, machine: machine(), commit: gitCommit(root), backend: "", totalS: 0 };
  const smtp = await startSmtp();
  const bench = await openBenchDatabase();
  figures.backend = bench.backend;
  const db = bench.handle.db;
  const transport = smtpTransport(smtp.url);
  try {
    await migrateDatabase(bench.handle);
    log(`mail: ${bench.backend}; SMTP on ${smtp.url}; writing ${MAIL_ROWS} confirmations through signUp …`);
    const station = await stationId(db);
    const coordinator = await makeCoordinator(db, station);
    const session = await makeRushSession(db, station, MAIL_ROWS, "公益义诊（邮件测试）");
    const personIds = await makePeople(db, station, MAIL_ROWS, "居民");
    await db
      .update(people)
      .set({ email: sql`'resident' || ${people.id} || '@bench.example'` })
      .where(inArray(people.id, personIds));
    for (const personId of personIds) await signUp(db, { stationId: station, actor: coordinator }, { sessionId: session, personId, partySize: 1 });
    const due = await pending(db, sql`${notifications.dueAt} <= now()`);
    log(`  ${due} rows due now (the reminders are due later)`);

    // 1. Throughput: passes back to back until nothing due is left.
    const sentAt = new Map<number, number>();
    const worker = timed(transport, sentAt);
    const cpu0 = snapshot();
    const start = performance.now();
    let passes = 0;
    let sent = 0;
    for (;;) {
      const result = await runOnce(db, { transport: worker });
      passes++;
      sent += result.sent;
      if (result.claimed === 0) break;
      if (result.failed + result.retried > 0) throw new Error(`a pass failed ${result.failed} and retried ${result.retried} rows`);
    }
    const wallMs = performance.now() - start;
    const cpu = share(cpu0, snapshot(), 0);
    figures.throughput = {
      rows: due,
      sent,
      received: smtp.received(),
      wallMs,
      perSecond: (sent / wallMs) * 1000,
      passes,
      other: cpu.other,
      benchCores: cpu.bench,
    };
    log(`  throughput: ${sent} sent in ${(wallMs / 1000).toFixed(2)} s = ${figures.throughput.perSecond.toFixed(0)} messages/s (${passes} passes)`);

    // 2. Lag at the default poll: rows due over the next ~60 s, the worker started as the server starts it.
    const pollSeconds = getConfig().WORKER_POLL_SECONDS;
    const some = await db.select({ id: signups.id, personId: signups.personId }).from(signups).where(eq(signups.sessionId, session)).limit(LAG_ROWS);
    const lagStart = Date.now() + 2000;
    const ids = await enqueue(
      db,
      some.map((s, i) => ({
        stationId: station,
        kind: "signup_confirmed" as const,
        dedupeKey: `bench-lag:${i}:${s.id}`,
        personId: s.personId,
        signupId: s.id,
        sessionId: session,
        dueAt: new Date(lagStart + Math.round((i * LAG_SPREAD_S * 1000) / LAG_ROWS)),
        expiresAt: new Date(lagStart + 86_400_000),
      })),
    );
    log(`  lag: ${ids.length} rows due over ${LAG_SPREAD_S} s, worker polling every ${pollSeconds} s …`);
    sentAt.clear();
    const lagT0 = performance.now();
    const running = startWorker(db, { transport: worker, log: () => {} });
    const deadline = Date.now() + (LAG_SPREAD_S + 2 * pollSeconds + 60) * 1000;
    try {
      while ((await pending(db, like(notifications.dedupeKey, "bench-lag:%"))) > 0) {
        if (Date.now() > deadline) throw new Error("the lag rows were not all sent in time");
        await sleep(1000);
      }
    } finally {
      await running.stop();
    }
    const rows = await db
      .select({ id: notifications.id, dueAt: notifications.dueAt, sentAt: notifications.sentAt, status: notifications.status })
      .from(notifications)
      .where(inArray(notifications.id, ids));
    const sentRows = rows.filter((r) => r.status === "sent" && r.sentAt);
    figures.lag = {
      rows: ids.length,
      sent: sentRows.length,
      pollSeconds,
      batchSize: 50,
      recorded: lagStats(sentRows.map((r) => r.sentAt!.getTime() - r.dueAt.getTime())),
      accepted: lagStats(sentRows.filter((r) => sentAt.has(r.id)).map((r) => sentAt.get(r.id)! - r.dueAt.getTime())),
      wallS: (performance.now() - lagT0) / 1000,
    };
    const l = figures.lag;
    log(`  lag (accepted by SMTP − due): p50 ${l.accepted.p50.toFixed(1)} s, p95 ${l.accepted.p95.toFixed(1)} s, max ${l.accepted.max.toFixed(1)} s`);
  } catch (error) {
    figures.error = error instanceof Error ? error.message : String(error);
    log(`mail: failed: ${figures.error}`);
  } finally {
    await transport.close();
    await smtp.close();
    await bench.close();
  }
  figures.totalS = (performance.now() - t0) / 1000;
  return figures;
}
