// Faults only a whole server process shows: a 50 MB chunked body against its memory, its
// database going away and coming back (PostgreSQL through a TCP proxy the test controls),
// and SIGTERM while a request waits on a row lock.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { eq, sql } from "drizzle-orm";
import { openDatabase, type DatabaseHandle } from "../../models/db";
import { signups } from "../../models/db/schema";
import { writeSessionToken } from "../../app/lib/cookies.server";
import { ensureStation, makeAccount } from "../support/fixtures";
import { makeSession } from "../support/signup-fixtures";
import { HOST, postSignup, request, startChildServer, type ChildServer } from "../support/child-server";
import { startPostgresProxy, type PostgresProxy } from "../support/postgres-proxy";
import { createDatabase } from "../support/db";
import { holdTransaction } from "../support/lock-waits";
import os from "node:os";
import fs from "node:fs";
import path from "node:path";
import http from "node:http";

const adminUrl = process.env.TEST_DATABASE_URL;
const children: ChildServer[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const server of children) {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
    await server.exited; // before its data directory is removed
  }
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A fresh PostgreSQL database (dropped at the end) and its URL. */
async function freshDatabase(): Promise<URL> {
  const { url, drop } = await createDatabase(adminUrl!, "hearth_f");
  cleanups.push(drop);
  return url;
}

/** Streams `total` bytes as a chunked body; resolves with the answer (or the error if none came). */
function chunkedUpload(port: number, pathname: string, total: number, headers: http.OutgoingHttpHeaders) {
  return new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(
      { host: HOST, port, method: "POST", path: pathname, headers: { ...headers, "Transfer-Encoding": "chunked" }, agent: false },
      (response) => {
        answered = true;
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body, sent }));
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) => {
      // The server stopped reading (connection closed after its answer) while this client was
      // still writing; node's client may then report EPIPE before parsing the 413 it received.
      if (!answered && (error.code === "EPIPE" || error.code === "ECONNRESET")) resolve({ status: 0, body: "", sent });
      else if (!answered) reject(error);
    });
    const chunk = Buffer.alloc(64 * 1024, "a");
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe("a 50 MB chunked body", () => {
  let server: ChildServer;
  beforeAll(async () => {
    const env: Record<string, string | undefined> = adminUrl ? { DATABASE_URL: (await freshDatabase()).toString() } : { DATABASE_URL: undefined };
    if (!adminUrl) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-faults-"));
      cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
      env.DATA_DIR = path.join(dir, "data");
    }
    server = await startChildServer(env);
    children.push(server);
  }, 330_000);

  it("is cut off with 413 while it streams, on a page action and an API route, and the server's memory stays flat", async () => {
    const form = { "Content-Type": "application/x-www-form-urlencoded" };
    // Warm up the paths involved, then measure.
    expect((await chunkedUpload(server.port, "/preferences", 1024 * 1024, form)).status).toBe(413);
    expect((await request(server.port, "GET", "/calendar")).status).toBe(200);
    const before = server.rss();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, server.rss())), 10);
    try {
      // 413, or (status 0) the connection cut by the server; never the app's answer (302/4xx).
      const page = await chunkedUpload(server.port, "/preferences", 50 * 1024 * 1024, form);
      expect([413, 0]).toContain(page.status);
      if (page.status === 413) expect(page.body).toBe("请求内容太大 / Request too large");
      const api = await chunkedUpload(server.port, "/api/v1/auth/token", 50 * 1024 * 1024, { "Content-Type": "application/json" });
      expect([413, 0]).toContain(api.status);
      // Cut off near the limit, not after reading everything.
      expect(page.sent).toBeLessThan(50 * 1024 * 1024);
    } finally {
      clearInterval(sampler);
    }
    const grown = peak - before;
    console.log(`[faults] 2 × 50 MB chunked: server RSS ${(before / 2 ** 20).toFixed(1)} MB before, peak +${(grown / 2 ** 20).toFixed(1)} MB`);
    expect(grown, `RSS grew by ${(grown / 1024 / 1024).toFixed(1)} MB`).toBeLessThan(8 * 1024 * 1024);
    // The server is still fine for the next visitor.
    expect((await request(server.port, "GET", "/calendar")).status).toBe(200);
  });
});

describe.runIf(adminUrl)("PostgreSQL outages and shutdown", () => {
  let url: URL;
  let proxy: PostgresProxy;
  let server: ChildServer;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    url = await freshDatabase();
    proxy = await startPostgresProxy(url);
    cleanups.push(() => proxy.close());
    server = await startChildServer({
      DATABASE_URL: proxy.url,
      DATABASE_CONNECT_TIMEOUT_MS: "1000",
      DATABASE_STATEMENT_TIMEOUT_MS: "3000",
      LOCK_TIMEOUT_MS: "30000",
      PAGE_CACHE_SECONDS: "0",
      SHUTDOWN_GRACE_SECONDS: "10",
    });
    children.push(server);
    handle = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: 2 });
    cleanups.push(() => handle.close());
  }, 330_000);

  async function expectUnavailable(what: string) {
    const startedAt = Date.now();
    const page = await request(server.port, "GET", "/calendar", {}, undefined, 15_000);
    expect(page.status, `${what}: ${page.body.slice(0, 200)}\n${server.log().slice(-2000)}`).toBe(503);
    expect(page.headers["retry-after"]).toBe("5");
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.body).toContain("请稍后再试");
    expect(page.body).not.toMatch(/at .*\.(ts|js):\d+/);
    const api = await request(server.port, "GET", "/api/v1/categories", {}, undefined, 15_000);
    expect(api.status, what).toBe(503);
    expect(api.headers["retry-after"]).toBe("5");
    expect(JSON.parse(api.body)).toMatchObject({ error: { code: "unavailable" } });
    expect((await request(server.port, "GET", "/readyz", {}, undefined, 15_000)).status, what).toBe(503);
    expect((await request(server.port, "GET", "/healthz")).status, what).toBe(200);
    // Fails fast: bounded by the connect timeout (1 s) per query, not the client's patience.
    expect(Date.now() - startedAt, what).toBeLessThan(12_000);
  }

  async function expectRecovered() {
    for (let i = 0; ; i++) {
      const page = await request(server.port, "GET", "/calendar");
      if (page.status === 200) break;
      expect(page.status).toBe(503); // never a 500 while it comes back
      if (i > 50) throw new Error("did not recover");
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await request(server.port, "GET", "/readyz")).status).toBe(200);
    expect((await request(server.port, "GET", "/api/v1/categories")).status).toBe(200);
  }

  it("answers 503 with Retry-After while PostgreSQL is down or hanging, /readyz says so, and it recovers by itself", async () => {
    expect((await request(server.port, "GET", "/calendar")).status).toBe(200);
    expect((await request(server.port, "GET", "/readyz")).status).toBe(200);
    await proxy.cut();
    await expectUnavailable("refused");
    await proxy.restore();
    await expectRecovered();
    await proxy.blackhole();
    await expectUnavailable("hanging");
    await proxy.restore();
    await expectRecovered();
    expect(server.log()).not.toMatch(/ 500 |Unexpected Server Error/);
  }, 120_000);

  it("on SIGTERM finishes a signup waiting on a row lock, answers it, then exits 0", async () => {
    const station = await ensureStation(handle.db);
    const { sessionId } = await makeSession(handle.db, station.id, { capacity: 5 });
    const account = await makeAccount(handle.db, station.id, ["resident"]);
    const cookie = (await writeSessionToken(new Request("http://localhost/"), account.token)).split(";")[0]!;
    // Hold the session's row: the signup will wait for it inside its transaction.
    const holder = new pg.Client({ connectionString: url.toString() });
    await holder.connect();
    cleanups.push(() => holder.end());
    await holder.query("BEGIN");
    await holder.query("SELECT id FROM sessions WHERE id = $1 FOR UPDATE", [sessionId]);
    const signup = postSignup(server.port, sessionId, cookie);
    // Wait until the signup is really waiting on the lock.
    for (let i = 0; ; i++) {
      const waiting = await holder.query("SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted");
      if ((waiting.rows[0] as { n: number }).n > 0) break;
      if (i > 100) throw new Error("the signup never reached the lock");
      await new Promise((r) => setTimeout(r, 50));
    }
    server.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    // Stopped accepting: a new connection is refused.
    await expect(request(server.port, "GET", "/healthz", {}, undefined, 2000)).rejects.toThrow();
    expect(server.child.exitCode).toBeNull(); // still finishing the signup
    await holder.query("COMMIT");
    const reply = await signup;
    expect(reply.status, server.log()).toBeLessThan(500);
    const rows = await handle.db.select().from(signups).where(eq(signups.sessionId, sessionId));
    expect(rows).toHaveLength(1);
    const { code } = await server.exited;
    expect(code, server.log()).toBe(0);
  }, 60_000);
});

// A database that is up but busier than the pool's wait allows: the requests that waited too
// long are told 503 "try again", even while others get through (and the process-wide "down"
// flag is cleared by their success at once) — never a 500.
describe.runIf(adminUrl)("a pool busier than its wait allows", () => {
  let server: ChildServer;
  let url: URL;

  beforeAll(async () => {
    url = await freshDatabase();
    // One connection, and 250 ms to get it: a crowd of requests must queue past it. On a loaded
    // machine the first connection itself may miss so short a wait, and the server stops: try again.
    for (let attempt = 1; ; attempt++) {
      try {
        server = await startChildServer({
          DATABASE_URL: url.toString(),
          DATABASE_POOL_SIZE: "1",
          DATABASE_CONNECT_TIMEOUT_MS: "250",
          PAGE_CACHE_SECONDS: "0",
        });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    children.push(server);
  }, 330_000);

  it("answers the requests that waited too long with 503 and Retry-After, and none with 500", async () => {
    // Pages (Remix renders the loader's failure) and the API (its own error handler), mixed;
    // three crowds, so some requests fail while others succeed around them.
    // The pages are fast enough that 80 requests no longer outrun one connection by themselves:
    // a lock on the tables both read holds the connection for 800 ms from the start of each
    // crowd, as a slow statement would, so the crowd behind it must wait past 250 ms.
    const holder = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: 1 });
    const replies = [];
    try {
      for (let round = 0; round < 3; round++) {
        const { release, committed } = await holdTransaction(holder.db, (tx) =>
          tx.execute(sql`LOCK TABLE sessions, calendar_versions IN ACCESS EXCLUSIVE MODE`),
        );
        setTimeout(release, 800);
        replies.push(
          ...(await Promise.all(
            Array.from({ length: 80 }, (_, i) => request(server.port, "GET", i % 2 ? "/calendar" : "/api/v1/sessions", {}, undefined, 15_000)),
          )),
        );
        await committed;
      }
    } finally {
      await holder.close();
    }
    const counts = new Map<number, number>();
    for (const r of replies) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    console.log(`[faults] 3 × 80 requests on a pool of 1 (250 ms wait): ${[...counts].map(([s, n]) => `${s}×${n}`).join(", ")}`);
    const failed = replies.filter((r) => r.status !== 200 && r.status !== 503);
    const ids = new Set(failed.map((r) => String(r.headers["x-request-id"])));
    const lines = server
      .log()
      .split("\n")
      .filter((line) => [...ids].some((id) => line.includes(id)));
    expect({ failed: failed.length, lines: lines.slice(0, 5), bodies: failed.slice(0, 2).map((r) => r.body.slice(0, 300)) }).toEqual({
      failed: 0,
      lines: [],
      bodies: [],
    });
    expect(counts.get(503)).toBeGreaterThan(0);
    for (const r of replies.filter((x) => x.status === 503)) {
      expect(r.headers["retry-after"]).toBeDefined();
      if (r.headers["content-type"]?.startsWith("application/json")) expect(JSON.parse(r.body)).toMatchObject({ error: { code: "unavailable" } });
      else expect(r.body).toContain("请稍后再试");
    }
    // And the server is fine afterwards.
    expect((await request(server.port, "GET", "/readyz")).status).toBe(200);
  }, 120_000);
});
