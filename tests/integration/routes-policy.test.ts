// One policy check for every route, pages and API alike: every loader and action of every file
// in app/routes (found on disk, not listed by hand) is called, and each must have passed the
// guard (app/lib/guard.server.ts) before it answered. And no route reads a credential itself:
// the functions that turn a cookie or a bearer token into a viewer are imported by the guard only.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, useBackend } from "../support/db";
import { ensureStation, makeAccount } from "../support/fixtures";
import { callSafely, type Handler } from "../support/routes-kit";
import { getRequest, postRequest } from "../support/requests";
import { policiesChecked } from "../../app/lib/guard.server";
import { listRouteFiles, routePath } from "../support/route-files";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const routesDir = path.join(root, "app/routes");
// A folder route counts by its route.tsx (desk/route.tsx); its other files are not routes.
const routeFiles = listRouteFiles().map((route) => route.file);
const modules = Object.fromEntries(
  await Promise.all(routeFiles.map(async (f) => [f, (await import(path.join(routesDir, f))) as Record<string, unknown>] as const)),
);

// Declared, with the reason: a route here must not pass the guard, so the list cannot go stale.
const UNGUARDED: Record<string, string> = {
  "healthz.ts": "touches neither the database nor a viewer: the benchmarks' floor",
};

// Every path parameter a route file names, filled with something plausible (the guard runs first anyway).
function paramsOf(file: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [, name] of file.matchAll(/\$([a-zA-Z]+)/g)) params[name!] = name === "category" ? "tai-chi" : name === "token" ? "x".repeat(43) : "1";
  if (file.includes("$.")) params["*"] = "nowhere";
  return params;
}

for (const backend of backends) {
  describe(`every route passes the one guard on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let token = "";
    beforeAll(async () => {
      const station = await ensureStation(t.db);
      ({ token } = await makeAccount(t.db, station.id, ["resident"]));
    });

    it("finds the route files", () => expect(routeFiles.length).toBeGreaterThan(40));

    for (const file of routeFiles) {
      const mod = modules[file]!;
      for (const kind of (["loader", "action"] as const).filter((k) => typeof mod[k] === "function")) {
        for (const who of ["anonymous", "resident"] as const) {
          it(`${file} ${kind} (${who})`, async () => {
            const api = file.startsWith("api.");
            const url = routePath(file, paramsOf(file));
            const cookieToken = who === "resident" && !api ? token : undefined;
            const headers: Record<string, string> = who === "resident" && api ? { Authorization: `Bearer ${await apiToken()}` } : {};
            const request =
              kind === "loader"
                ? await getRequest(url, { token: cookieToken, headers })
                : await postRequest(url, {}, { token: cookieToken, headers });
            const result = await callSafely(mod[kind] as Handler, request, paramsOf(file));
            expect(result.status, String(result.body)).toBeLessThan(500);
            if (file in UNGUARDED) expect(policiesChecked(request)).toEqual([]);
            else expect(policiesChecked(request).length, `${file} ${kind} answered ${result.status} without the guard`).toBeGreaterThan(0);
          });
        }
      }
    }

    // An API token for the same resident, made once.
    let bearer: string | undefined;
    async function apiToken() {
      if (bearer) return bearer;
      const { createApiToken } = await import("../../models/api-tokens");
      const station = await ensureStation(t.db);
      const account = await makeAccount(t.db, station.id, ["resident"]);
      bearer = (await createApiToken(t.db, { stationId: station.id, accountId: account.accountId }, "policy test")).token;
      return bearer;
    }
  });
}

describe("credentials are read by the guard only", () => {
  // The credential sources: a cookie session or a bearer token becomes a viewer only in the guard.
  // The personal feed's token in its path is its own credential (models/feed-tokens), not a viewer's.
  const sources = /\b(getSessionAccountId|getSessionViewer|getApiTokenViewer|getViewer)\b/;
  const appFiles = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? appFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));

  it("no file of app/ but the guard and the personal feed turns a credential into a viewer", () => {
    const readers = appFiles(path.join(root, "app"))
      .filter((f) => /\.tsx?$/.test(f) && sources.test(fs.readFileSync(f, "utf8")))
      .map((f) => path.relative(root, f))
      .sort();
    expect(readers).toEqual(["app/lib/feeds.server.ts", "app/lib/guard.server.ts"]);
  });
});
