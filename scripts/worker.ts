/**
 * `npm run worker`: the notification worker on its own, for PostgreSQL deployments that run
 * the web server with RUN_WORKER=false (or several workers: they share out rows with SKIP
 * LOCKED). SIGTERM finishes the message in flight, then exits 0.
 */
import { getConfig } from "../models/config";
import { closeDb, getHandle } from "../models/db";
import { DataDirLockedError } from "../models/db/data-dir-lock";
import { describeError } from "../models/db/errors";
import { transportFromConfig } from "../models/notifications/transport";
import { startWorker } from "../models/notifications/worker";

const config = getConfig();
let handle;
try {
  handle = await getHandle();
} catch (error) {
  if (error instanceof DataDirLockedError) {
    console.error(
      `[worker] ${error.message}\n[worker] The embedded database (PGlite) belongs to one process: with no DATABASE_URL the ` +
        `server runs the worker itself (RUN_WORKER=true). A standalone worker is for PostgreSQL deployments (set DATABASE_URL).`,
    );
  } else {
    console.error(`[worker] cannot open the database: ${describeError(error, { stack: false })}`);
  }
  process.exit(1);
}
// No migrating here: the server (or `npm run migrate`) does it, so two processes never race on it.
const transport = transportFromConfig(config);
const worker = startWorker(handle.db, { transport });
console.log(`[worker] started (${handle.kind}, ${transport.kind}, every ${config.WORKER_POLL_SECONDS} s)`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[worker] ${signal}: stopping`);
  setTimeout(() => process.exit(1), 10_000).unref();
  await worker.stop();
  await transport.close();
  await closeDb();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
