import fs from "node:fs";
import { defineConfig } from "@playwright/test";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!fs.existsSync(chromium)) {
  throw new Error(`No Chromium at ${chromium}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH.`);
}
const port = Number(process.env.E2E_PORT ?? 3100);
// E2E_SHARD=1/2: `npm test` runs the suite in shards side by side (scripts/test-all.sh). Each
// shard has its own server and embedded database, report and output folder, so no shard sees
// another's bookings or clears another's traces.
const shardMatch = /^(\d+)\/(\d+)$/.exec(process.env.E2E_SHARD ?? "");
const shard = shardMatch ? { current: Number(shardMatch[1]), total: Number(shardMatch[2]) } : null;
const suffix = shard ? `-shard-${shard.current}` : "";
const dataDir = shard ? `.e2e-data/shard-${shard.current}` : ".e2e-data";

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  shard,
  outputDir: shard ? `test-results/shard-${shard.current}` : "test-results",
  retries: 0,
  timeout: 60_000,
  reporter: [["list"], ["json", { outputFile: `.reports/e2e${suffix}.json` }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: chromium,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
    trace: "retain-on-failure",
  },
  webServer: {
    // A fresh embedded database each run: the server migrates and seeds the demo community.
    command: `rm -rf ${dataDir} && node build/hearth/server.mjs`,
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    // WORKER_POLL_SECONDS=1: the mail worker in the server picks a new mail up within a second (mail.spec.ts).
    env: { PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, NODE_ENV: "production", WORKER_POLL_SECONDS: "1" },
  },
});
