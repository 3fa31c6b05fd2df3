/**
 * Remix matches a request's path against the app's ~130 routes two or three times (the request
 * handler, the data handler, the render), and @remix-run/router flattens, scores and sorts the
 * whole route tree, then compiles a pattern per route tried, on every call. That was 18–22 % of
 * a signed-in page's CPU and 9 % of an API signup's (docs/benchmarks.md). The router keeps no
 * cache, and it cannot be patched at install (npm runs no install scripts here), so the bundled
 * server loads the router's CommonJS build with one internal function wrapped: matches are
 * remembered per route tree shape and path (ADR 33). Nothing else in the router changes; if its source
 * no longer has the function this expects, the router loads unchanged and the server says so.
 */
import fs from "node:fs";
import Module, { createRequire } from "node:module";
import path from "node:path";

const ORIGINAL = "function matchRoutesImpl(routes, locationArg, basename, allowPartial) {";
const RENAMED = "function matchRoutesImplUncached(routes, locationArg, basename, allowPartial) {";

/** Paths remembered per route tree shape before it starts afresh: the app's paths carry ids, so they are unbounded. */
export const PATHS_PER_TREE = 2000;

/** Longer paths are matched but not remembered: the app's own are far shorter, and a client could send many long ones. */
export const LONGEST_PATH_KEPT = 256;

/** Route trees of different shapes remembered before starting afresh (this app has one shape). */
export const TREES = 16;

// Appended to the router's module, in its scope. A match depends only on the shape of the route
// tree (each route's id, path, index and caseSensitive, and its children), the path, the basename
// and allowPartial. Remix builds the server's trees once, but the render builds a new tree of the
// same shape for every request, so matches are kept per shape: an array's shape is read once
// (a walk of its routes, much cheaper than ranking them) and remembered for that array. A kept
// match names its route by id, and each caller gets new match objects holding its own tree's
// route objects and its own copy of the params. A tree whose routes lack unique ids is matched
// as before.
const CACHED_MATCHING = `
var hearthShapes = new WeakMap();
var hearthMatchesByShape = new Map();
function hearthShapeOf(routes) {
  if (hearthShapes.has(routes)) return hearthShapes.get(routes);
  var byId = new Map();
  var unique = true;
  function walk(list) {
    var out = "[";
    for (var i = 0; i < list.length; i++) {
      var r = list[i];
      if (typeof r.id !== "string" || byId.has(r.id)) unique = false;
      byId.set(r.id, r);
      out += r.id + "\u0001" + (r.path == null ? "\u0002" : r.path) + "\u0001" + (r.index ? "i" : "") + (r.caseSensitive === true ? "c" : "");
      if (r.children && r.children.length) out += walk(r.children);
      out += "\u0003";
    }
    return out + "]";
  }
  var key = walk(routes);
  var shape = unique ? { key: key, byId: byId } : null;
  hearthShapes.set(routes, shape);
  return shape;
}
function matchRoutesImpl(routes, locationArg, basename, allowPartial) {
  var shape = Array.isArray(routes) ? hearthShapeOf(routes) : null;
  if (!shape) return matchRoutesImplUncached(routes, locationArg, basename, allowPartial);
  var location = typeof locationArg === "string" ? parsePath(locationArg) : locationArg;
  if ((location.pathname || "/").length > ${LONGEST_PATH_KEPT}) return matchRoutesImplUncached(routes, location, basename, allowPartial);
  var key = (location.pathname || "/") + "\u0000" + basename + "\u0000" + (allowPartial ? "1" : "0");
  var byPath = hearthMatchesByShape.get(shape.key);
  if (!byPath) {
    if (hearthMatchesByShape.size >= ${TREES}) hearthMatchesByShape.clear();
    hearthMatchesByShape.set(shape.key, (byPath = new Map()));
  }
  var found = byPath.get(key);
  if (found === undefined) {
    var matches = matchRoutesImplUncached(routes, location, basename, allowPartial);
    found = matches && matches.map(function (m) { return { id: m.route.id, params: m.params, pathname: m.pathname, pathnameBase: m.pathnameBase }; });
    if (byPath.size >= ${PATHS_PER_TREE}) byPath.clear();
    byPath.set(key, found);
  }
  return found && found.map(function (f) {
    return { params: Object.assign({}, f.params), pathname: f.pathname, pathnameBase: f.pathnameBase, route: shape.byId.get(f.id) };
  });
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
