/** `npm run migrate`: applies the committed migrations to DATABASE_URL or the embedded database in DATA_DIR. */
import { closeDb, getHandle } from "../models/db";
import { migrateDatabase } from "../models/boot";

try {
  const handle = await getHandle();
  await migrateDatabase(handle);
  console.log(`[hearth] migrations applied (${handle.kind})`);
  await closeDb();
} catch (error) {
  console.error(`[hearth] migrate failed: ${(error as Error).message}`);
  process.exit(1);
}
