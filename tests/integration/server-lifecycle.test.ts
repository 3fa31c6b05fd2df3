/**
 * The production server as an operator runs it: `node build/hearth/server.mjs` (what `npm start` runs) on an empty
 * DATA_DIR (migrate + seed), one process per directory, SIGTERM gone within 5 s, and a
 * restart that finds its data again. Needs the production build (`npm run build`).
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { openDatabase } from "../../models/db";
import { freePort, HOST } from "../support/child-server";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SHUTDOWN_PROMISE_MS = 5_000;

interface Server {
  child: ChildProcess;
  port: number;
  log: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

const children: ChildProcess[] = [];
let scratch = "";

async function startServer(dataDir: string): Promise<Server> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST, DATA_DIR: dataDir, SEED_ON_EMPTY: "true" };
  // The embedded database is the subject here, whatever the outer environment says.
  delete env.DATABASE_URL;
  // As `npm start` runs it, the server chooses its NODE_ENV itself: vitest's "test" is not passed on.
  Reflect.deleteProperty(env, "NODE_ENV");
  const child = spawn(process.execPath, ["build/hearth/server.mjs"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let log = "";
  child.stdout!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, ms: performance.now() })),
  );
  return { child, port, log: () => log, exited };
}

function get(port: number, pathname: string, agent?: http.Agent) {
  return new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const request = http.get({ host: HOST, port, path: pathname, agent: agent ?? false }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, type: String(response.headers["content-type"] ?? ""), body }));
    });
    request.setTimeout(10_000, () => request.destroy(new Error("request timed out")));
    request.on("error", reject);
  });
}

/** Resolves once `check` holds, polling every `everyMs`; rejects (with the log) when the process dies or time runs out. */
async function waitUntil(server: Server, what: string, check: () => boolean | Promise<boolean>, everyMs: number, ms = 90_000) {
  let dead = false;
  void server.exited.then(() => (dead = true));
  const until = Date.now() + ms;
  while (!(await check())) {
    if (dead) throw new Error(`server exited before it was ${what}:\n${server.log()}`);
    if (Date.now() > until) throw new Error(`server not ${what} after ${ms} ms:\n${server.log()}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Resolves when /healthz answers 200. */
const waitHealthy = (server: Server) =>
  waitUntil(
    server,
    "healthy",
    () =>
      get(server.port, "/healthz").then(
        (r) => r.status === 200 && r.body === "ok",
        () => false,
      ),
    250,
  );

/** Resolves as soon as the server's output contains `text`. */
const waitForLog = (server: Server, text: string) => waitUntil(server, `saying "${text}"`, () => server.log().includes(text), 5);

/** Exit within the promised time, or fail (without waiting for ever). */
async function stop(server: Server) {
  const sentAt = performance.now();
  expect(server.child.kill("SIGTERM")).toBe(true);
  const guard = new Promise<"still running">((resolve) => setTimeout(() => resolve("still running"), SHUTDOWN_PROMISE_MS).unref());
  const outcome = await Promise.race([server.exited, guard]);
  expect(outcome, `server still running ${SHUTDOWN_PROMISE_MS} ms after SIGTERM:\n${server.log()}`).not.toBe("still running");
  const { code, signal, ms } = outcome as Awaited<Server["exited"]>;
  return { code, signal, elapsed: ms - sentAt };
}

async function countRows(dataDir: string) {
  const handle = await openDatabase({ kind: "pglite", dataDir });
  try {
    const result = await handle.db.execute(sql`select
      (select count(*)::int from stations) as stations,
      (select count(*)::int from people) as people,
      (select count(*)::int from accounts) as accounts,
      (select count(*)::int from activities) as activities`);
    return result.rows[0] as { stations: number; people: number; accounts: number; activities: number };
  } finally {
    await handle.close();
  }
}

describe("server lifecycle (embedded database)", () => {
  let dataDir = "";
  let first: Server;
  let firstCounts: Awaited<ReturnType<typeof countRows>>;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(root, "build/hearth/server.mjs"))) {
      await promisify(execFile)(process.execPath, ["scripts/build-if-changed.mjs"], { cwd: root, timeout: 180_000, maxBuffer: 64 * 1024 * 1024 });
    }
    expect(fs.existsSync(path.join(root, "build/hearth/server.mjs"))).toBe(true);
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-server-"));
    dataDir = path.join(scratch, "data");
    first = await startServer(dataDir);
    await waitHealthy(first);
  }, 600_000);

  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("migrates and seeds an empty directory, then listens on the given host and port", () => {
    const log = first.log();
    expect(log).toMatch(/seeding/);
    expect(log).toContain(`[hearth] ready at http://${HOST}:${first.port}`);
    // The embedded database runs in a worker thread by default (ADR 37).
    expect(log).toMatch(/ready at .* \(pglite, in a worker thread\)/);
    // The lock names its holder's pid on its first line (the second says where that pid means something).
    expect(fs.readFileSync(path.join(dataDir, "hearth.lock"), "utf8").split("\n")[0]).toBe(String(first.child.pid));
  });

  it("renders with React's production build without being told NODE_ENV, as `npm start` runs it", () => {
    // Without server/production-mode.ts React loads its development build and the server warns.
    expect(first.log()).toContain("[hearth] React: production build");
    expect(first.log()).not.toContain("development build");
  });

  it("serves the calendar page as HTML", async () => {
    const page = await get(first.port, "/calendar");
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    expect(page.body).toContain("活动日历");
    expect(page.body).toMatch(/^<!DOCTYPE html>/i);
  });

  it("refuses a second server on the same data directory with the lock message", async () => {
    const second = await startServer(dataDir);
    const guard = new Promise<"still running">((resolve) => setTimeout(() => resolve("still running"), 60_000).unref());
    const outcome = await Promise.race([second.exited, guard]);
    expect(outcome, second.log()).not.toBe("still running");
    const { code } = outcome as Awaited<Server["exited"]>;
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(second.log()).toContain(`The embedded database in ${dataDir} is already open in process ${first.child.pid}`);
    expect(second.log()).not.toContain("[hearth] ready");
    expect(second.log()).not.toContain("seeding");
    // It never bound its port, and the first server is untouched, lock included.
    await expect(get(second.port, "/healthz")).rejects.toThrow();
    expect((await get(first.port, "/healthz")).status).toBe(200);
    // The lock names its holder's pid on its first line (the second says where that pid means something).
    expect(fs.readFileSync(path.join(dataDir, "hearth.lock"), "utf8").split("\n")[0]).toBe(String(first.child.pid));
  });

  it("exits with code 0 within 5 s of SIGTERM, even with an idle keep-alive connection open, and releases the lock", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await get(first.port, "/calendar", agent)).status).toBe(200);
      const { code, signal, elapsed } = await stop(first);
      expect(signal).toBeNull();
      expect(code, first.log()).toBe(0);
      expect(elapsed).toBeLessThan(SHUTDOWN_PROMISE_MS);
    } finally {
      agent.destroy();
    }
    expect(first.log()).toContain("[hearth] SIGTERM: closing");
    expect(fs.existsSync(path.join(dataDir, "hearth.lock"))).toBe(false);
    firstCounts = await countRows(dataDir);
    expect(firstCounts.stations).toBe(1);
    expect(firstCounts.accounts).toBeGreaterThan(0);
    expect(firstCounts.activities).toBeGreaterThan(0);
  });

  it("restarts on the same directory with its data and without seeding again", async () => {
    const again = await startServer(dataDir);
    await waitHealthy(again);
    expect(again.log()).toContain(`[hearth] ready at http://${HOST}:${again.port}`);
    expect(again.log()).not.toMatch(/seeding/);
    const page = await get(again.port, "/calendar");
    expect(page.status).toBe(200);
    expect(page.body).toContain("活动日历");
    const { code, elapsed } = await stop(again);
    expect(code, again.log()).toBe(0);
    expect(elapsed).toBeLessThan(SHUTDOWN_PROMISE_MS);
    expect(fs.existsSync(path.join(dataDir, "hearth.lock"))).toBe(false);
    expect(await countRows(dataDir)).toEqual(firstCounts);
  });

  it("on SIGTERM the moment it is ready, lets the calendar's horizon roll finish before it closes the database", async () => {
    // The roll starts right after listening and takes a few hundred ms on the demo data: a stop
    // then closed the database beneath it ("horizon: PGlite is closed") before server.ts waited for it.
    const quick = await startServer(dataDir);
    await waitForLog(quick, "[hearth] ready at");
    const { code } = await stop(quick);
    expect(code, quick.log()).toBe(0);
    expect(quick.log()).toContain("[hearth] SIGTERM: closing");
    expect(quick.log()).not.toContain("[hearth] horizon:");
    expect(await countRows(dataDir)).toEqual(firstCounts);
  });
});
