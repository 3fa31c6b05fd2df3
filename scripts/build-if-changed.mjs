/**
 * `npm start`'s first step: build the production app only when its sources changed since the
 * last build. A full Vite build takes several seconds; a restart with nothing changed should
 * not pay for it. The sources' hash is stored beside the build (build/.source-hash), written
 * only after a build succeeds, so an interrupted build is redone on the next start.
 *
 * Hashing contents (not mtimes) keeps a fresh checkout or a `touch` from forcing a build and
 * catches an edit that kept the old mtime. Usage: `node scripts/build-if-changed.mjs [--force]`. Plain JavaScript, so that the check
 * costs Node's start-up (~50 ms) and not a TypeScript loader's (~1 s).
 */
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
/** What goes into build/: the app, the server and the models they import, static files, and how they are built. */
const SOURCE_DIRS = ["app", "models", "public", "server", "demo"];
const SOURCE_FILES = ["server.ts", "vite.config.ts", "tsconfig.json", "package.json", "package-lock.json", "scripts/bundle-server.mjs"];
const HASH_FILE = path.join(root, "build", ".source-hash");
const BUILD_ENTRIES = [
  path.join(root, "build", "server", "index.js"),
  path.join(root, "build", "hearth", "server.mjs"),
  path.join(root, "build", "hearth", "main.mjs"),
];

/** @param {string} dir @param {string[]} out */
function listFiles(dir, out) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) listFiles(p, out);
    else if (entry.isFile()) out.push(p);
  }
}

/** sha256 over every source file's relative path and content, in a stable order. */
function sourceHash() {
  /** @type {string[]} */
  const files = [];
  for (const dir of SOURCE_DIRS) listFiles(path.join(root, dir), files);
  for (const file of SOURCE_FILES) if (fs.existsSync(path.join(root, file))) files.push(path.join(root, file));
  files.sort();
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(path.relative(root, file));
    hash.update("\0");
    hash.update(fs.readFileSync(file));
    hash.update("\0");
  }
  return hash.digest("hex");
}

function main() {
  const t0 = performance.now();
  const hash = sourceHash();
  const stored = fs.existsSync(HASH_FILE) ? fs.readFileSync(HASH_FILE, "utf8").trim() : "";
  const force = process.argv.includes("--force");
  if (!force && stored === hash && BUILD_ENTRIES.every((entry) => fs.existsSync(entry))) {
    console.log(`[hearth] build is up to date with the sources (checked in ${Math.round(performance.now() - t0)} ms): not rebuilding`);
    return 0;
  }
  const why = force
    ? "--force"
    : !BUILD_ENTRIES.every((entry) => fs.existsSync(entry))
      ? "no build yet"
      : stored
        ? "sources changed since the last build"
        : "no record of the last build's sources";
  console.log(`[hearth] building the app (${why}) …`);
  const result = spawnSync("npx", ["remix", "vite:build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) return result.status ?? 1;
  const bundled = spawnSync(process.execPath, [path.join(root, "scripts", "bundle-server.mjs")], { cwd: root, stdio: "inherit" });
  if (bundled.status !== 0) return bundled.status ?? 1;
  fs.writeFileSync(HASH_FILE, `${hash}\n`);
  console.log(`[hearth] built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return 0;
}

process.exit(main());
