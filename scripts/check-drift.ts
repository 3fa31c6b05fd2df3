/**
 * Drift check: drizzle-kit must find nothing to generate, i.e. the committed migrations
 * describe the schema in models/db/schema.ts. Runs against a copy so it never writes into
 * the repository.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-drift-"));
fs.cpSync(path.join(root, "models/db/migrations"), path.join(work, "migrations"), { recursive: true });
const config = path.join(work, "drizzle.config.json");
fs.writeFileSync(
  config,
  // drizzle-kit joins paths onto the working directory, so they must be relative.
  JSON.stringify({ dialect: "postgresql", schema: "./models/db/schema.ts", out: path.relative(root, path.join(work, "migrations")) }),
);
const output = execFileSync(path.join(root, "node_modules/.bin/drizzle-kit"), ["generate", "--config", config], {
  cwd: root,
  encoding: "utf8",
});
fs.rmSync(work, { recursive: true, force: true });
if (!/No schema changes/i.test(output)) {
  console.error(output);
  console.error("Schema drift: models/db/schema.ts differs from the migrations. Run `npm run db:generate` and commit the result.");
  process.exit(1);
}
console.log("drift check: no schema changes");
