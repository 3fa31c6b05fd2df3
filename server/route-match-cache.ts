/**
 * Remix matches a request's path against the app's ~130 routes two or three times (the request
 * handler, the data handler, the render), and @remix-run/router flattens, scores and sorts the
 * whole route tree, then compiles a pattern per route tried, on every call. That was 18–22 % of
 * a signed-in page's CPU and 9 % of an API signup's (docs/benchmarks.md). The router keeps no
 * cache, and it cannot be patched at install (npm runs no install scripts here), so the bundled
 * server loads the router's CommonJS build with one internal function wrapped: a route tree's
 * matches are remembered per path (ADR 33). Nothing else in the router changes; if its source
 * no longer has the function this expects, the router loads unchanged and the server says so.
 */
import fs from "node:fs";
import Module, { createRequire } from "node:module";
import path from "node:path";

const ORIGINAL = "function matchRoutesImpl(routes, locationArg, basename, allowPartial) {";
const RENAMED = "function matchRoutesImplUncached(routes, locationArg, basename, allowPartial) {";

/** Paths remembered per route tree before it starts afresh: the app's paths carry ids, so they are unbounded. */
export const PATHS_PER_TREE = 2000;

// Appended to the router's module, in its scope. The result depends only on the route tree
// (the same array object: Remix builds the server's trees once), the path, the basename and
// allowPartial. Each caller gets its own copies of the match objects and their params, so no
// caller can change what another sees; the route objects are shared, as they are uncached.
const CACHED_MATCHING = `
var hearthMatchesByTree = new WeakMap();
function matchRoutesImpl(routes, locationArg, basename, allowPartial) {
  if (routes === null || typeof routes !== "object") return matchRoutesImplUncached(routes, locationArg, basename, allowPartial);
  var location = typeof locationArg === "string" ? parsePath(locationArg) : locationArg;
  var key = (location.pathname || "/") + "\\u0000" + basename + "\\u0000" + (allowPartial ? "1" : "0");
  var byPath = hearthMatchesByTree.get(routes);
  if (!byPath) hearthMatchesByTree.set(routes, (byPath = new Map()));
  var matches = byPath.get(key);
  if (matches === undefined) {
    matches = matchRoutesImplUncached(routes, location, basename, allowPartial);
    if (byPath.size >= ${PATHS_PER_TREE}) byPath.clear();
    byPath.set(key, matches);
  }
  return matches && matches.map(function (m) { return Object.assign({}, m, { params: Object.assign({}, m.params) }); });
}
`;

/** The router's source with its matching remembered, or null when the source is not the one this was written for. */
export function withCachedMatching(source: string): string | null {
  if (source.split(ORIGINAL).length !== 2) return null;
  return source.replace(ORIGINAL, RENAMED) + CACHED_MATCHING;
}

/** The router's CommonJS file, as Remix's server runtime resolves it (react-router resolves the same one). */
export function routerFile(): string {
  const fromHere = createRequire(import.meta.url);
  return createRequire(fromHere.resolve("@remix-run/server-runtime")).resolve("@remix-run/router");
}

// Node's CommonJS loader, as every module-loading tool uses it; these members are not in its typings.
type Loadable = Module & { _compile(source: string, filename: string): void };
const loader = Module as unknown as { _cache: Record<string, Module>; _nodeModulePaths(dir: string): string[] };

/**
 * Puts the wrapped router into Node's module cache, so that every later `require` of it gets
 * this one. Must run before anything loads Remix: the bundled server's entry calls it first.
 */
export function installCachedMatching(): "cached" | "already loaded" | "unknown router source" {
  const filename = routerFile();
  if (loader._cache[filename]) return "already loaded";
  const source = withCachedMatching(fs.readFileSync(filename, "utf8"));
  if (source === null) return "unknown router source";
  const loaded = new Module(filename) as Loadable;
  loaded.filename = filename;
  loaded.paths = loader._nodeModulePaths(path.dirname(filename));
  loaded._compile(source, filename);
  loaded.loaded = true;
  loader._cache[filename] = loaded;
  return "cached";
}
