/**
 * Bundles the server entry (server.ts with the models, server/ and demo/ it imports) into one
 * plain-JavaScript file, build/hearth/server.mjs, which `npm start` runs with bare Node (ADR 29).
 * Running the TypeScript through tsx instead cost the start-up about a second of compiling and
 * the process ~100 MiB of resident memory (docs/benchmarks.md). Packages stay outside the bundle
 * and load from node_modules as before; the Remix app build is imported from build/server/.
 * Plain JavaScript, run by build-if-changed.mjs after the Vite build.
 */
import fs from "node:fs";
import path from "node:path";
import * as esbuild from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
const outDir = path.join(root, "build", "hearth");

fs.rmSync(outDir, { recursive: true, force: true });
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning",
};
// The server: server.ts with everything of ours it imports.
await esbuild.build({
  ...common,
  entryPoints: ["server.ts"],
  outfile: path.join(outDir, "main.mjs"),
  plugins: [
    {
      // server.ts imports the Remix build as "./build/server/index.js" (from the repository's
      // root); from build/hearth/ that is "../server/index.js", loaded at run time, not bundled.
      name: "remix-app-build",
      setup(build) {
        build.onResolve({ filter: /^\.\/build\/server\/index\.js$/ }, () => ({ path: "../server/index.js", external: true }));
      },
    },
  ],
});
// The entry that runs first: it wraps the router's route matching (ADR 33), then imports main.mjs.
await esbuild.build({ ...common, entryPoints: ["server/start.ts"], outfile: path.join(outDir, "server.mjs") });
// The embedded database's worker thread (PGLITE_THREAD=worker, the default; ADR 37): pglite-remote.ts
// looks for it beside itself, which in the bundle is build/hearth/.
await esbuild.build({ ...common, entryPoints: ["models/db/pglite-worker.ts"], outfile: path.join(outDir, "pglite-worker.mjs") });
// models/db/client.ts finds its migrations beside itself (new URL("./migrations", import.meta.url)):
// in the bundle "itself" is build/hearth/server.mjs.
fs.cpSync(path.join(root, "models", "db", "migrations"), path.join(outDir, "migrations"), { recursive: true });
console.log("[hearth] bundled the server into build/hearth/server.mjs");
