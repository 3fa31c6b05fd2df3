// PostgreSQL itself restarted in the middle of a signup rush, with two web servers on it: a
// server of the test's own (tests/support/scratch-postgres.ts), stopped as a crash would stop
// it (`pg_ctl -m immediate`: every backend killed, WAL replayed on start) and started again.
// - no acknowledged signup is lost: everyone told "confirmed" or "waitlisted" has that signup;
// - while it is down the servers answer 503 (never another 5xx), and a resident who pressed
//   again after a 503 is either booked then or told they already were (409), never twice;
// - both servers recover by themselves, and the session ends with exactly its capacity.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { eq } from "drizzle-orm";
import { openDatabase, type DatabaseHandle } from "../../models/db";
import { signups } from "../../models/db/schema";
import { ensureStation } from "../support/fixtures";
import { makeSession } from "../support/signup-fixtures";
import { makeSignedInResidents } from "../support/bulk-residents";
import { postSignup, request, startChildServer, type ChildServer } from "../support/child-server";
import { scratchPostgresAvailable, startScratchPostgres, type ScratchPostgres } from "../support/scratch-postgres";

const CAPACITY = 80;
const PEOPLE = 600;
const CLIENTS = 40;
/** Acknowledged signups before the crash, so that both committed and in-flight work meet it. */
const CRASH_AFTER = 150;
const DOWN_MS = 2000;

// It needs PostgreSQL's own binaries (the machine's server is never touched); CI has them.
const runnable = scratchPostgresAvailable() || process.env.CI === "true";

describe.runIf(runnable)("a PostgreSQL restart during a signup rush on two servers", () => {
  let postgres: ScratchPostgres;
  let handle: DatabaseHandle;
  let a: ChildServer;
  let b: ChildServer;
  let sessionId = 0;
  let personIds: number[] = [];
  let cookies: string[] = [];

  beforeAll(async () => {
    postgres = await startScratchPostgres();
    const name = `hearth_restart_${crypto.randomBytes(3).toString("hex")}`;
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(postgres.url);
    url.pathname = `/${name}`;

    handle = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: 2 });
    await handle.migrate();
    const station = await ensureStation(handle.db);
    ({ sessionId } = await makeSession(handle.db, station.id, { capacity: CAPACITY, maxPartySize: 1, daysAhead: 5, title: "春季义诊" }));
    ({ personIds, cookies } = await makeSignedInResidents(handle.db, station.id, PEOPLE));

    const env = {
      DATABASE_URL: url.toString(),
      DATABASE_POOL_SIZE: "5",
      DATABASE_CONNECT_TIMEOUT_MS: "1000",
      DATABASE_STATEMENT_TIMEOUT_MS: "5000",
      PAGE_CACHE_SECONDS: "0",
    };
    [a, b] = await Promise.all([startChildServer(env), startChildServer(env)]);
  }, 600_000);

  afterAll(async () => {
    for (const server of [a, b]) {
      if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
      await server?.exited;
    }
    await handle?.close().catch(() => {});
    postgres?.remove();
  });

  it("loses no acknowledged signup, answers only 503 while down, and both servers recover", async () => {
    type Reply = { person: number; status: number; done?: string; after503: boolean };
    const replies: Reply[] = [];
    const got503 = new Set<number>();
    let acknowledged = 0;
    let crashed: Promise<void> | undefined;
    let next = 0;

    const client = async (k: number) => {
      const server = k % 2 === 0 ? a : b;
      for (let i = next++; i < PEOPLE; i = next++) {
        // A resident presses 报名 until the page answers with something other than "try again".
        for (let attempt = 0; ; attempt++) {
          // `request` gives up after 15 s: an answer at all is the "no hang".
          const reply = await postSignup(server.port, sessionId, cookies[i]!, 15_000);
          const done = /[?&]done=(\w+)/.exec(String(reply.headers.location ?? ""))?.[1];
          replies.push({ person: i, status: reply.status, done, after503: got503.has(i) });
          if (reply.status === 503) {
            expect(reply.headers["retry-after"]).toBeDefined();
            got503.add(i);
            if (attempt > 200) throw new Error("the server never came back");
            await new Promise((r) => setTimeout(r, 100));
            continue;
          }
          if (reply.status === 302 && ++acknowledged === CRASH_AFTER) {
            // The crash, while the other clients' requests are in flight; back after DOWN_MS.
            crashed = (async () => {
              postgres.crash();
              await new Promise((r) => setTimeout(r, DOWN_MS));
              postgres.start();
            })();
          }
          break;
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, k) => client(k)));
    await crashed;

    const counts = new Map<number, number>();
    for (const r of replies) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    console.log(`[restart] replies: ${[...counts].map(([code, n]) => `${code}×${n}`).join(", ")}; residents who saw a 503: ${got503.size}`);

    // The crash happened while the rush went on, and the servers said so with 503 only.
    expect(crashed).toBeDefined();
    expect(got503.size).toBeGreaterThan(0);
    expect(replies.filter((r) => r.status >= 500 && r.status !== 503)).toEqual([]);
    // 302 (booked) or, only for a resident whose earlier press got a 503 after its commit, 409.
    for (const r of replies.filter((x) => x.status !== 503)) {
      if (r.status === 409) expect(r.after503).toBe(true);
      else expect(r.status).toBe(302);
    }

    // Every acknowledged signup is in the database as it was acknowledged.
    const rows = await handle.db.select().from(signups).where(eq(signups.sessionId, sessionId));
    const statusOf = new Map(rows.map((row) => [row.personId, row.status]));
    for (const r of replies.filter((x) => x.status === 302)) expect(statusOf.get(personIds[r.person]!)).toBe(r.done);
    // Everyone booked exactly once; exactly the capacity confirmed.
    expect(rows.length).toBe(PEOPLE);
    expect(new Set(rows.map((row) => row.personId)).size).toBe(PEOPLE);
    expect(rows.filter((row) => row.status === "confirmed").length).toBe(CAPACITY);
    expect(rows.filter((row) => row.status === "waitlisted").length).toBe(PEOPLE - CAPACITY);

    // Both servers are back by themselves.
    for (const server of [a, b]) {
      expect((await request(server.port, "GET", "/readyz")).status).toBe(200);
      expect((await request(server.port, "GET", `/sessions/${sessionId}`, { Cookie: cookies[0]! })).status).toBe(200);
      expect(server.log()).not.toMatch(/ 500 |Unexpected Server Error/);
    }
  }, 300_000);
});
