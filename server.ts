/**
 * The Hearth server: one small Express process. It applies migrations, seeds the demo
 * community into an empty embedded database, serves the Remix app, keeps the calendar's
 * horizon rolling, and on SIGTERM closes the database and exits within 5 s.
 */
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { getConfig } from "./models/config";
import { closeDb, getHandle } from "./models/db";
import { isEmpty, migrateDatabase } from "./models/boot";
import { createEmptyStation } from "./models/stations";
import { setSessionGateWidth } from "./models/session-gate";
import { extendAllHorizons } from "./models/horizon";
import { seedDemoCommunity, DEMO_LOGINS } from "./scripts/demo/community";
import { createPageCache } from "./server/page-cache";
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

const app = express();
app.disable("x-powered-by");
// Behind a reverse proxy the client's address is in X-Forwarded-For; the per-IP sign-in
// limit needs it, or every visitor would share the proxy's one address.
if (config.TRUST_PROXY) app.set("trust proxy", config.TRUST_PROXY === "true" ? true : config.TRUST_PROXY);

// Refuse oversized bodies before anything parses them: forms here are small.
const MAX_BODY_BYTES = 256 * 1024;
app.use((req, res, next) => {
  const length = Number(req.headers["content-length"] ?? 0);
  if (length > MAX_BODY_BYTES) {
    // API clients get the API's error shape; browsers a plain bilingual line.
    if (req.path.startsWith("/api/")) res.status(413).json({ error: { code: "too_large", message: "请求内容太大 / Request too large" } });
    else res.status(413).type("text/plain; charset=utf-8").send("请求内容太大 / Request too large");
    return;
  }
  next();
});

const pageCache = createPageCache(dev ? 0 : config.PAGE_CACHE_SECONDS * 1000);
app.use(pageCache.middleware);

let build: ServerBuild | (() => Promise<ServerBuild>);
if (dev) {
  const vite = await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }));
  app.use(vite.middlewares);
  build = () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
} else {
  app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
  app.use(express.static("build/client", { maxAge: "1h" }));
  build = await appBuild!;
}

const remixHandler = createRequestHandler({
  build,
  mode: dev ? "development" : "production",
  getLoadContext: (req) => ({ ip: req.ip ?? req.socket.remoteAddress ?? "unknown" }),
});
// Remix's handler passes its own failures to next(); Express 4 ignores the promise itself.
app.all("*", (req, res, next) => void remixHandler(req, res, next));

const server = app.listen(config.PORT, config.HOST, () => {
  const url = `http://${config.HOST}:${config.PORT}`;
  console.log(`[hearth] ready at ${url} in ${Math.round(performance.now() - startedAt)} ms (${handle.kind})`);
  if (handle.kind === "pglite") {
    console.log("[hearth] demo logins (password for all: " + DEMO_LOGINS.password + "):");
    for (const login of DEMO_LOGINS.accounts) console.log(`  ${login.role.padEnd(12)} ${login.email}`);
  }
});

// Keep sessions materialised ahead as days pass: once now (after listening, since the
// sessions already there serve the first requests) and every six hours.
const rollHorizon = () =>
  extendAllHorizons(handle.db)
    .then((added) => added > 0 && pageCache.clear())
    .catch((e: Error) => console.error("[hearth] horizon:", e.message));
void rollHorizon();
const horizonTimer = setInterval(() => void rollHorizon(), 6 * 3600_000);
horizonTimer.unref();

// The notification worker, after listening: mail waits a moment, pages do not. With
// RUN_WORKER=false a separate `npm run worker` (PostgreSQL only) does the sending.
const mailTransport = config.RUN_WORKER === "true" ? transportFromConfig(config) : undefined;
const worker = mailTransport ? startWorker(handle.db, { transport: mailTransport }) : undefined;

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[hearth] ${signal}: closing`);
  // Hard stop if something hangs: the promise is to be gone within 5 s.
  setTimeout(() => process.exit(1), 4500).unref();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  // The message in flight is finished and marked before the database goes away.
  await worker?.stop();
  await mailTransport?.close();
  await closeDb();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
