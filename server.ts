/**
 * The Hearth server: one small Express process. It applies migrations, seeds the demo
 * community into an empty embedded database, serves the Remix app, keeps the calendar's
 * horizon rolling, and on SIGTERM finishes the requests in flight, closes the database and
 * exits. The HTTP stack itself is assembled in server/app.ts.
 */
import type { RequestHandler } from "express";
import { sql } from "drizzle-orm";
import type { ServerBuild } from "@remix-run/node";
import { getConfig } from "./models/config";
import { closeDb, getHandle } from "./models/db";
import { isEmpty, migrateDatabase } from "./models/boot";
import { createEmptyStation } from "./models/stations";
import { setSessionGateWidth } from "./models/session-gate";
import { extendAllHorizons } from "./models/horizon";
import { seedDemoCommunity, DEMO_LOGINS } from "./demo/community";
import { createPageCache } from "./server/page-cache";
import { createHttpApp } from "./server/app";
import { describeError } from "./models/db/errors";
import { transportFromConfig } from "./models/notifications/transport";
import { startWorker } from "./models/notifications/worker";

const dev = process.argv.includes("--dev");
const config = getConfig();
const startedAt = performance.now();

// Opening the database (PGlite: ~1 s of WASM start-up) and loading the app build overlap.
const appBuild: Promise<ServerBuild> | undefined = dev
  ? undefined
  : // @ts-expect-error: the build exists after `npm run build`.
    (import("./build/server/index.js") as Promise<ServerBuild>);
setSessionGateWidth(config.SIGNUP_GATE_WIDTH);
const handle = await getHandle();
await migrateDatabase(handle);
if (await isEmpty(handle)) {
  if (config.SEED_ON_EMPTY === "true") {
    console.log("[hearth] empty database: seeding the demo community …");
    await seedDemoCommunity(handle.db);
  } else {
    console.log(`[hearth] empty database: creating the station "${config.STATION_SLUG}" with the default categories`);
    await createEmptyStation(handle.db, config.STATION_SLUG);
  }
}

let stopping = false;
const pageCache = createPageCache(dev ? 0 : config.PAGE_CACHE_SECONDS * 1000);
let draining = false;
let build: ServerBuild | (() => Promise<ServerBuild>);
let viteMiddlewares: RequestHandler | undefined;
if (dev) {
  const vite = await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }));
  viteMiddlewares = vite.middlewares;
  build = () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
} else {
  build = await appBuild!;
}
const app = createHttpApp({
  config,
  dev,
  build,
  pageCache,
  viteMiddlewares,
  checkDatabase: () => handle.db.execute(sql`select 1`),
  draining: () => draining,
});

const server = app.listen(config.PORT, config.HOST, () => {
  const url = `http://${config.HOST}:${config.PORT}`;
  const where =
    handle.kind === "pglite" ? `pglite, ${config.PGLITE_THREAD === "worker" ? "in a worker thread" : "in the server's thread"}` : handle.kind;
  console.log(`[hearth] ready at ${url} in ${Math.round(performance.now() - startedAt)} ms (${where})`);
  if (handle.kind === "pglite") {
    console.log("[hearth] demo logins (password for all: " + DEMO_LOGINS.password + "):");
    for (const login of DEMO_LOGINS.accounts) console.log(`  ${login.role.padEnd(12)} ${login.email}`);
  }
});

// Keep sessions materialised ahead as days pass: once now (after listening, since the
// sessions already there serve the first requests) and every six hours. A SIGTERM waits for
// the roll under way, so the database is not closed beneath it.
let horizonRoll: Promise<unknown> = Promise.resolve();
const rollHorizon = () => {
  if (stopping) return;
  horizonRoll = extendAllHorizons(handle.db)
    .then((added) => added > 0 && pageCache.clear())
    .catch((e: unknown) => console.error(`[hearth] horizon: ${describeError(e)}`));
};
rollHorizon();
const horizonTimer = setInterval(rollHorizon, 6 * 3600_000);
horizonTimer.unref();

// The notification worker, after listening: mail waits a moment, pages do not. With
// RUN_WORKER=false a separate `npm run worker` (PostgreSQL only) does the sending.
const mailTransport = config.RUN_WORKER === "true" ? transportFromConfig(config) : undefined;
const worker = mailTransport ? startWorker(handle.db, { transport: mailTransport }) : undefined;

/**
 * SIGTERM: stop accepting, let requests in flight finish (up to SHUTDOWN_GRACE_SECONDS), let
 * the worker finish or hand back its batch, then close the pool and exit. A request that
 * committed is answered unless it outlives the grace period.
 */
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  draining = true;
  const graceMs = config.SHUTDOWN_GRACE_SECONDS * 1000;
  console.log(`[hearth] ${signal}: closing (up to ${config.SHUTDOWN_GRACE_SECONDS} s for requests in flight)`);
  // Hard stop if something hangs past the grace and the clean-up after it.
  setTimeout(() => process.exit(1), graceMs + 4500).unref();
  const closed = new Promise((resolve) => server.close(resolve));
  // Keep-alive connections with nothing in flight go now, and as each answer finishes.
  server.closeIdleConnections();
  const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
  const stoppingWorker = worker?.stop();
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
  clearInterval(idleSweep);
  server.closeAllConnections();
  // The message in flight is finished and marked, and the horizon's roll done, before the database goes away.
  await stoppingWorker;
  await horizonRoll;
  await mailTransport?.close();
  await closeDb();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
