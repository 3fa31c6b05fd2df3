// The bundled server's wrapped route matching (ADR 33) must answer exactly as the router does,
// for every route of this app, and must not walk the route tree again for a path it has seen.
import fs from "node:fs";
import Module, { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LONGEST_PATH_KEPT, PATHS_PER_TREE, routerFile, withCachedMatching } from "../../server/route-match-cache";

interface RouteNode {
  id: string;
  path?: string;
  index?: boolean;
  children?: RouteNode[];
}
interface Match {
  params: Record<string, string | undefined>;
  pathname: string;
  pathnameBase: string;
  route: RouteNode;
}
type MatchRoutes = (routes: RouteNode[], location: string | { pathname: string }, basename?: string) => Match[] | null;

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, "../..");

function loadRouter(source: string): { matchRoutes: MatchRoutes } {
  const filename = routerFile();
  const loaded = new Module(filename) as Module & { _compile(source: string, filename: string): void };
  loaded.filename = filename;
  loaded.paths = module.paths;
  loaded._compile(source, filename);
  return loaded.exports as { matchRoutes: MatchRoutes };
}
const module = { paths: (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(routerFile())) };

const original = fs.readFileSync(routerFile(), "utf8");
const uncached = loadRouter(original);
const patched = withCachedMatching(original);

/** This app's route tree as Remix builds it from app/routes (the root route holding the rest). */
function appRoutes(): { tree: RouteNode[]; fullPaths: string[] } {
  const { flatRoutes } = require("@remix-run/dev/dist/config/flat-routes.js") as {
    flatRoutes(dir: string): Record<string, { id: string; parentId?: string; path?: string; index?: boolean }>;
  };
  const manifest = flatRoutes(path.join(root, "app"));
  const nodes = new Map<string, RouteNode>([["root", { id: "root", path: "", children: [] }]]);
  for (const r of Object.values(manifest)) nodes.set(r.id, { id: r.id, path: r.path, index: r.index, children: [] });
  const fullPaths: string[] = [];
  for (const r of Object.values(manifest)) {
    nodes.get(r.parentId ?? "root")!.children!.push(nodes.get(r.id)!);
    let full = "";
    for (let at: typeof r | undefined = r; at; at = at.parentId ? manifest[at.parentId] : undefined) full = `${at.path ?? ""}/${full}`;
    fullPaths.push(full);
  }
  return { tree: [nodes.get("root")!], fullPaths };
}

/** Paths to match: each route's with its params filled in, and the near misses people and scripts send. */
function pathsFor(fullPaths: string[]): string[] {
  const filled = fullPaths.map((p) => ("/" + p.replace(/:[\w-]+/g, "7").replace(/\*$/, "a/b")).replace(/\/+/g, "/"));
  const misses = [
    "/",
    "/nope",
    "/sessions/abc",
    "/sessions/7/",
    "/api/v1/unknown",
    "/calendar/week/extra",
    "//calendar",
    "/%E4%B8%AD%E6%96%87",
    "/manage/sessions/7/roster?x=1",
  ];
  return [...new Set([...filled, ...filled.map((p) => p.toUpperCase()), ...misses])];
}

const comparable = (matches: Match[] | null) =>
  matches?.map((m) => ({ id: m.route.id, params: m.params, pathname: m.pathname, pathnameBase: m.pathnameBase })) ?? null;

describe("the wrapped route matching (ADR 33)", () => {
  it("applies to the router this project installs", () => {
    // A router upgrade that renames or reshapes the function fails here, not silently in production.
    expect(patched).not.toBeNull();
  });

  const cached = loadRouter(patched ?? original);
  const { tree, fullPaths } = appRoutes();
  const paths = pathsFor(fullPaths);

  it("answers every route of the app, and the near misses, as the router does, the first time and again", () => {
    expect(fullPaths.length).toBeGreaterThan(100);
    for (const basename of ["/", "/hearth"]) {
      for (const p of paths) {
        const url = basename === "/" ? p : `${basename}${p}`;
        expect(comparable(cached.matchRoutes(tree, url, basename)), url).toEqual(comparable(uncached.matchRoutes(tree, url, basename)));
        const location = { pathname: url };
        expect(comparable(cached.matchRoutes(tree, location, basename)), url).toEqual(comparable(uncached.matchRoutes(tree, location, basename)));
      }
    }
    // The same URL under another basename is another answer.
    expect(cached.matchRoutes(tree, "/hearth/calendar", "/hearth")?.at(-1)?.route.id).toBe("routes/calendar._index");
    expect(comparable(cached.matchRoutes(tree, "/hearth/calendar", "/"))).toEqual(comparable(uncached.matchRoutes(tree, "/hearth/calendar", "/")));
    // Real routes matched, and the same route objects as the tree's.
    const session = cached.matchRoutes(tree, "/sessions/7");
    expect(session?.at(-1)?.params).toEqual({ id: "7" });
    expect(session?.[0]?.route).toBe(tree[0]);
  });

  it("does not read the route tree again for a path it has matched", () => {
    let reads = 0;
    const counted = new Proxy(tree, {
      get(target, key, receiver) {
        reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    cached.matchRoutes(counted, "/calendar/week");
    expect(reads).toBeGreaterThan(0);
    reads = 0;
    cached.matchRoutes(counted, "/calendar/week");
    expect(reads).toBe(0);
    uncached.matchRoutes(counted, "/calendar/week");
    expect(reads).toBeGreaterThan(0);
    // A path longer than any of the app's is matched each time, never kept: clients choose paths.
    const long = `/sessions/${"9".repeat(LONGEST_PATH_KEPT)}`;
    cached.matchRoutes(counted, long);
    reads = 0;
    expect(comparable(cached.matchRoutes(counted, long))).toEqual(comparable(uncached.matchRoutes(tree, long)));
    expect(reads).toBeGreaterThan(0);
  });

  it("answers a new tree of the same shape (as the render builds per request) with that tree's own route objects", () => {
    const clone = structuredClone(tree);
    const cloneIds = new Map<string, RouteNode>();
    const index = (list: RouteNode[]) => list.forEach((r) => (cloneIds.set(r.id, r), index(r.children ?? [])));
    index(clone);
    cached.matchRoutes(tree, "/manage/sessions/7/roster");
    const matches = cached.matchRoutes(clone, "/manage/sessions/7/roster")!;
    expect(comparable(matches)).toEqual(comparable(uncached.matchRoutes(clone, "/manage/sessions/7/roster")));
    expect(matches.length).toBeGreaterThan(1);
    for (const m of matches) expect(m.route).toBe(cloneIds.get(m.route.id));
  });

  it("does not answer a tree of another shape from the first one's matches", () => {
    cached.matchRoutes(tree, "/calendar/week");
    const other = structuredClone(tree);
    const week = (function find(list: RouteNode[]): RouteNode | undefined {
      for (const r of list) {
        if (r.id === "routes/calendar.week") return r;
        const inner = find(r.children ?? []);
        if (inner) return inner;
      }
    })(other)!;
    week.path = "weekly";
    expect(comparable(cached.matchRoutes(other, "/calendar/week"))).toEqual(comparable(uncached.matchRoutes(other, "/calendar/week")));
    expect(cached.matchRoutes(other, "/calendar/weekly")?.at(-1)?.route).toBe(week);
    // Routes without ids are matched as the router does, every time.
    const anonymous = [{ path: "/", children: [{ path: "a/:x" }, { path: "b" }] }] as unknown as RouteNode[];
    expect(comparable(cached.matchRoutes(anonymous, "/a/1"))?.length).toBe(2);
  });

  it("gives each caller its own matches: a caller changing its params changes no one else's", () => {
    const first = cached.matchRoutes(tree, "/sessions/7")!;
    first.at(-1)!.params.id = "999";
    first.pop();
    const again = cached.matchRoutes(tree, "/sessions/7")!;
    expect(comparable(again)).toEqual(comparable(uncached.matchRoutes(tree, "/sessions/7")));
  });

  it("starts afresh after so many paths, and still answers right", () => {
    for (let i = 0; i <= PATHS_PER_TREE; i++) cached.matchRoutes(tree, `/sessions/${i}`);
    expect(comparable(cached.matchRoutes(tree, "/sessions/3"))).toEqual(comparable(uncached.matchRoutes(tree, "/sessions/3")));
    expect(comparable(cached.matchRoutes(tree, "/calendar"))).toEqual(comparable(uncached.matchRoutes(tree, "/calendar")));
  });

  it("leaves an unknown router source alone", () => {
    expect(withCachedMatching(original.replace("function matchRoutesImpl(", "function matchRoutesImplementation("))).toBeNull();
  });
});
