/**
 * `npm run seed [-- --reset]`: puts the demo community into the configured database
 * (PGlite in DATA_DIR, or DATABASE_URL). It refuses when the station exists already, so a
 * real station's data is never mixed with demo people; `--reset` wipes the database first.
 */
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { getConfig } from "../models/config";
import { closeDb, getHandle, targetFromConfig } from "../models/db";
import { DataDirLockedError, lockDataDir } from "../models/db/data-dir-lock";
import { migrateDatabase } from "../models/boot";
import { getStationBySlug } from "../models/stations";
import { DEMO_LOGINS, seedDemoCommunity } from "../demo/community";
import { DEMO_PHONE_LOGIN } from "../demo/phone-login";

const reset = process.argv.includes("--reset");
const config = getConfig();
// A handle that never opened (say, the directory is locked) has nothing to close.
let opened = false;

/**
 * PGlite: delete its files before opening them. Holding the directory lock while deleting
 * means a running app server makes this fail with DataDirLockedError instead of losing
 * its database under it.
 */
function wipePglite(dataDir: string) {
  const release = lockDataDir(dataDir);
  try {
    fs.rmSync(path.join(dataDir, "pg"), { recursive: true, force: true });
  } finally {
    release();
  }
}

async function run(): Promise<number> {
  const target = targetFromConfig();
  if (reset && target.kind === "pglite") wipePglite(target.dataDir);
  const handle = await getHandle();
  opened = true;
  if (reset && handle.kind === "postgres") {
    // Also drops drizzle's journal, so the migrations run again from the first.
    await handle.db.execute(sql`DROP SCHEMA public CASCADE`);
    await handle.db.execute(sql`CREATE SCHEMA public`);
    await handle.db.execute(sql`DROP SCHEMA IF EXISTS drizzle CASCADE`);
  }
  await migrateDatabase(handle);

  if (await getStationBySlug(handle.db, config.STATION_SLUG)) {
    console.error(
      `The station "${config.STATION_SLUG}" already exists in this database, so the demo was not seeded.\n` +
        `To wipe the database and seed it afresh, run: npm run seed -- --reset`,
    );
    return 1;
  }

  const where = handle.kind === "pglite" ? `PGlite in ${config.dataDir}` : "PostgreSQL (DATABASE_URL)";
  console.log(`Seeding the demo community into ${where} …`);
  const started = performance.now();
  const summary = await seedDemoCommunity(handle.db);
  const ms = Math.round(performance.now() - started);

  console.log(`Seeded in ${ms} ms:`);
  console.log(`  station        ${config.STATION_SLUG} (id ${summary.stationId})`);
  console.log(`  people         ${summary.people}`);
  console.log(`  households     ${summary.households}`);
  console.log(`  members        ${summary.members}`);
  console.log(`  doctors        ${summary.doctors}`);
  console.log(`  activities     ${summary.activities}`);
  console.log(`  sessions       ${summary.sessions}`);
  console.log(`  signups        ${summary.signups}`);
  console.log(`  desk visits    ${summary.visits}`);
  console.log(`  consultations  ${summary.consultations}`);
  console.log(`Demo logins (password for all: ${DEMO_LOGINS.password}):`);
  for (const login of DEMO_LOGINS.accounts) console.log(`  ${login.role.padEnd(12)} ${login.email.padEnd(28)} ${login.name}`);
  console.log(
    `  ${DEMO_PHONE_LOGIN.role.padEnd(12)} ${DEMO_PHONE_LOGIN.phone.padEnd(28)} ${DEMO_PHONE_LOGIN.name} (signs in with her mobile number, no email)`,
  );
  return 0;
}

try {
  process.exitCode = await run();
} catch (error) {
  if (error instanceof DataDirLockedError) {
    console.error(error.message);
  } else {
    console.error("Seeding failed:", error);
  }
  process.exitCode = 1;
} finally {
  if (opened) await closeDb();
}
