// The HTTP layer in front of the app (server/app.ts), through the real production build on a
// loopback port: security headers and no-store on a page, a .data request, an API reply, a
// feed and a CSV; cross-site writes refused before the app; methods nobody serves; request ids;
// the build's client files.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { count } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation, makeAccount } from "../support/fixtures";
import { makeSession } from "../support/signup-fixtures";
import { makeApiUser } from "../support/api-fixtures";
import { raw, startStack, type Stack } from "../support/http-stack";
import { writeSessionToken } from "../../app/lib/cookies.server";
import { authSessions } from "../../models/db/schema";

const cookieFor = async (token: string) => (await writeSessionToken(new Request("http://localhost/"), token)).split(";")[0]!;

for (const backend of backends) {
  describe(`HTTP stack on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stack: Stack;
    let behindProxy: Stack;
    let sessionId = 0;
    let staffCookie = "";
    let residentCookie = "";
    let apiToken = "";
    let staffToken = "";

    beforeAll(async () => {
      const station = await ensureStation(t.db);
      ({ sessionId } = await makeSession(t.db, station.id, { capacity: 10 }));
      staffCookie = await cookieFor((await makeAccount(t.db, station.id, ["coordinator"])).token);
      residentCookie = await cookieFor((await makeAccount(t.db, station.id, ["resident"])).token);
      apiToken = (await makeApiUser(t.db, station.id, ["resident"])).token;
      staffToken = (await makeApiUser(t.db, station.id, ["coordinator"])).token;
      stack = await startStack();
      behindProxy = await startStack({ PUBLIC_URL: "https://station.example" });
    });
    afterAll(async () => {
      await stack?.close();
      await behindProxy?.close();
    });

    const get = (path: string, headers: Record<string, string> = {}) => raw(stack.port, "GET", path, headers);

    function expectSecurityHeaders(response: { headers: Record<string, unknown> }, what: string) {
      const csp = String(response.headers["content-security-policy"]);
      expect(csp, what).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'/);
      expect(csp, what).toContain("frame-ancestors 'none'");
      expect(csp, what).toContain("default-src 'self'");
      expect(response.headers["x-content-type-options"], what).toBe("nosniff");
      expect(response.headers["referrer-policy"], what).toBe("same-origin");
      expect(response.headers["x-request-id"], what).toMatch(/^[0-9a-f-]{36}$/);
      // Plain http here: no HSTS (it is sent when the request came over https).
      expect(response.headers["strict-transport-security"], what).toBeUndefined();
    }

    it("puts the security headers on a page, a .data request, an API reply, a feed and a CSV", async () => {
      const cases: [string, Awaited<ReturnType<typeof get>>][] = [
        ["page", await get("/calendar")],
        [".data", await get("/calendar.data")],
        ["API", await raw(stack.port, "GET", "/api/v1/categories")],
        ["feed", await get("/feeds/calendar.ics")],
        ["CSV", await get(`/manage/sessions/${sessionId}/attendees.csv`, { Cookie: staffCookie })],
      ];
      for (const [what, response] of cases) {
        expect(response.status, what).toBe(200);
        expectSecurityHeaders(response, what);
      }
    });

    it("sends pages without the NUL bytes React 18's stream leaves where a Chinese character meets its 2048-byte buffer", async () => {
      // The search box echoes what was typed, shifting everything after it by a byte at a time, so
      // among these some Chinese character of the page (labels, the loader's JSON) meets a boundary.
      const typed = Array.from({ length: 6 }, (_, k) => `无此人${"Z".repeat(k)}`);
      for (const q of typed) {
        const page = await get(`/manage/households?q=${encodeURIComponent(q)}`, { Cookie: staffCookie, "Accept-Language": "zh-CN" });
        expect(page.status, q).toBe(200);
        expect(page.body.length, q).toBeGreaterThan(4 * 2048);
        expect(page.body.indexOf("\u0000"), q).toBe(-1);
        expect(page.body, q).toContain(`value="${q}"`);
      }
    });

    /** The SQL the database is sent while `during` runs (both drivers call their client's `query`). */
    async function statementsDuring(during: () => Promise<unknown>): Promise<string[]> {
      const client = (t.db as unknown as { $client: { query: (...args: unknown[]) => unknown } }).$client;
      const original = client.query;
      const seen: string[] = [];
      client.query = function (this: unknown, ...args: unknown[]) {
        const [first] = args;
        seen.push(typeof first === "string" ? first : String((first as { text?: string }).text ?? ""));
        return original.apply(this, args);
      };
      try {
        await during();
      } finally {
        client.query = original;
      }
      return seen;
    }

    it("reads the viewer and the calendar version once per page, however many of its loaders ask", async () => {
      // The month page has three loaders (root, calendar layout, month), each authorising and
      // two of them reading the calendar cache; Remix gives each its own Request.
      for (const path of ["/calendar", "/calendar.data", `/sessions/${sessionId}`]) {
        let status = 0;
        const sent = await statementsDuring(async () => ({ status } = await get(path, { Cookie: residentCookie })));
        expect(status, path).toBe(200);
        // Lower-cased: drizzle's builder writes `from`, the named viewer statement `FROM`.
        const reading = (table: string) => sent.filter((text) => text.toLowerCase().includes(`from "${table}"`)).length;
        expect(reading("auth_sessions"), path).toBe(1);
        expect(reading("calendar_versions"), path).toBe(1);
      }
    });

    it("gives every inline script of a page this response's nonce, a new one each time", async () => {
      const first = await get("/calendar");
      const second = await get("/calendar");
      const nonceOf = (response: typeof first) => /'nonce-([^']+)'/.exec(String(response.headers["content-security-policy"]))![1]!;
      expect(nonceOf(first)).not.toBe(nonceOf(second));
      const scripts = first.body.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonceOf(first)}"`);
      expect(first.headers["x-request-id"]).not.toBe(second.headers["x-request-id"]);
    });

    it("says no-store on secrets and personal data, pages and .data alike, and not on public pages", async () => {
      const personal: [string, Record<string, string>][] = [
        ["/account", { Cookie: residentCookie }],
        ["/account.data", { Cookie: residentCookie }],
        ["/bookings", { Cookie: residentCookie }],
        ["/bookings.data", { Cookie: residentCookie }],
        [`/manage/sessions/${sessionId}/attendees`, { Cookie: staffCookie }],
        [`/manage/sessions/${sessionId}/attendees.data`, { Cookie: staffCookie }],
        [`/manage/sessions/${sessionId}/attendees.csv`, { Cookie: staffCookie }],
        ["/api/v1/me/signups", { Authorization: `Bearer ${apiToken}` }],
        // A public page, but rendered for someone: it carries their name.
        ["/calendar", { Cookie: residentCookie }],
        ["/calendar.data", { Cookie: residentCookie }],
        ["/login", {}],
      ];
      for (const [path, headers] of personal) {
        const response = await get(path, headers);
        expect(response.status, path).toBeLessThan(400);
        expect(response.headers["cache-control"], path).toBe("no-store");
      }
      for (const path of ["/calendar", "/calendar.data", `/sessions/${sessionId}`, "/feeds/calendar.ics"]) {
        expect((await get(path)).headers["cache-control"] ?? "", path).not.toContain("no-store");
      }
    });

    it("refuses cross-site writes to page actions with a plain 403, before the app runs", async () => {
      const sessionsBefore = (await t.db.select({ n: count() }).from(authSessions))[0]!.n;
      const form = "locale=en&largeText=false&redirectTo=%2Fcalendar";
      const type = { "Content-Type": "application/x-www-form-urlencoded" };
      for (const [path, headers] of [
        ["/logout", { Origin: "https://evil.example", Cookie: residentCookie }],
        ["/preferences", { Origin: "https://evil.example" }],
        ["/preferences", { Origin: "null" }],
        ["/preferences", { Origin: `http://127.0.0.1:${stack.port}.evil.example` }],
        ["/preferences", { "Sec-Fetch-Site": "cross-site" }],
        ["/login", { Origin: "https://evil.example" }],
        [`/sessions/${sessionId}`, { Origin: "https://evil.example", Cookie: residentCookie }],
      ] as [string, Record<string, string>][]) {
        const response = await raw(stack.port, "POST", path, { ...type, ...headers }, form);
        expect(response.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
        expect(response.headers["content-type"]).toMatch(/^text\/plain/);
        expect(response.body).toBe("跨站请求已拒绝 / Cross-site request refused");
      }
      // Nobody was signed out by the refused /logout.
      expect((await t.db.select({ n: count() }).from(authSessions))[0]!.n).toBe(sessionsBefore);
      // Same-origin (and origin-less) writes go through.
      for (const headers of [{ Origin: `http://127.0.0.1:${stack.port}` }, { "Sec-Fetch-Site": "same-origin" }, {}]) {
        expect((await raw(stack.port, "POST", "/preferences", { ...type, ...headers }, form)).status).toBe(302);
      }
    });

    it("lets the one-click unsubscribe and the bearer-token API be called cross-site", async () => {
      const evil = { Origin: "https://mail.example", "Content-Type": "application/x-www-form-urlencoded" };
      const unsubscribe = await raw(stack.port, "POST", "/unsubscribe/no-such-token/one-click", evil, "List-Unsubscribe=One-Click");
      expect(unsubscribe.status).not.toBe(403);
      expect(unsubscribe.status).toBeLessThan(500);
      const api = await raw(stack.port, "POST", "/api/v1/auth/token", { ...evil, "Content-Type": "application/json" }, "{}");
      expect(api.status).not.toBe(403);
      expect(api.status).toBeLessThan(500);
    });

    it("behind a proxy that rewrites Host, compares Origin with PUBLIC_URL", async () => {
      const form = "locale=en&largeText=false";
      const type = { "Content-Type": "application/x-www-form-urlencoded", Host: "10.0.0.5:3000" };
      const ok = await raw(behindProxy.port, "POST", "/preferences", { ...type, Origin: "https://station.example" }, form);
      expect(ok.status).toBe(302);
      for (const origin of ["http://10.0.0.5:3000", "http://station.example", "https://station.example.evil.example"]) {
        expect((await raw(behindProxy.port, "POST", "/preferences", { ...type, Origin: origin }, form)).status, origin).toBe(403);
      }
    });

    it("answers methods it does not serve with 405 and Allow, never a 500", async () => {
      for (const method of ["TRACE", "PROPFIND", "MKCOL", "LOCK"]) {
        for (const path of ["/calendar", "/api/v1/categories"]) {
          const response = await raw(stack.port, method, path);
          expect(response.status, `${method} ${path}`).toBe(405);
          expect(response.headers.allow).toBe("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
        }
      }
    });

    it("refuses bodies past the limit whatever the encoding: 413 for pages and the API, small bodies pass", async () => {
      const pageForm = "locale=en&largeText=false&pad=" + "x".repeat(300 * 1024);
      const type = { "Content-Type": "application/x-www-form-urlencoded" };
      // Declared length, then chunked (no Content-Length: node sends Transfer-Encoding: chunked).
      expect((await raw(stack.port, "POST", "/preferences", { ...type, "Content-Length": Buffer.byteLength(pageForm) }, pageForm)).status).toBe(413);
      const chunked = await raw(stack.port, "POST", "/preferences", { ...type, "Transfer-Encoding": "chunked" }, pageForm);
      expect(chunked.status).toBe(413);
      expect(chunked.body).toBe("请求内容太大 / Request too large");
      const json = JSON.stringify({ email: "a@b.example", password: "x".repeat(70 * 1024) });
      const api = await raw(stack.port, "POST", "/api/v1/auth/token", { "Content-Type": "application/json", "Transfer-Encoding": "chunked" }, json);
      expect(api.status).toBe(413);
      expect(JSON.parse(api.body)).toMatchObject({ error: { code: "body_too_large" } });
      // Under the limit, chunked or not, the same forms work.
      const small = "locale=en&largeText=false&pad=" + "x".repeat(40 * 1024);
      expect((await raw(stack.port, "POST", "/preferences", { ...type, "Transfer-Encoding": "chunked" }, small)).status).toBe(302);
    });

    it("refuses API instants with offsets no clock shows (422) and changes nothing", async () => {
      const auth = { Authorization: `Bearer ${staffToken}` };
      for (const bound of ["2026-12-01T09:00%2B25:00", "2026-12-01T09:00-99:99", "2026-12-01T09:00%2B08:60"]) {
        const response = await raw(stack.port, "GET", `/api/v1/sessions?from=${bound}`, auth);
        expect(response.status, bound).toBe(422);
      }
      expect((await raw(stack.port, "GET", "/api/v1/sessions?from=2026-12-01T09:00%2B14:00", auth)).status).toBe(200);
      const before = await raw(stack.port, "GET", `/api/v1/sessions/${sessionId}`, auth);
      const patch = await raw(
        stack.port,
        "PATCH",
        `/api/v1/sessions/${sessionId}`,
        { ...auth, "Content-Type": "application/json" },
        JSON.stringify({ startsAt: "2026-12-20T09:00:00+25:00" }),
      );
      expect(patch.status).toBe(422);
      expect((await raw(stack.port, "GET", `/api/v1/sessions/${sessionId}`, auth)).body).toBe(before.body);
    });

    it("answers /readyz from the database and /healthz without it", async () => {
      expect((await get("/readyz")).status).toBe(200);
      expect((await get("/healthz")).status).toBe(200);
    });

    it("serves the build's client files, and asks the disk about none of them for a page", async () => {
      const asset = fs.readdirSync("build/client/assets").find((name) => name.endsWith(".js"))!;
      const stat = vi.spyOn(fs, "stat");
      try {
        const buildStats = () => stat.mock.calls.filter(([file]) => String(file).includes(path.join("build", "client"))).length;
        for (const page of ["/healthz", "/calendar", "/favicon.ico.missing", "/assetsx"]) await get(page);
        expect(buildStats()).toBe(0);
        const favicon = await get("/favicon.ico");
        expect(favicon.status).toBe(200);
        expect(favicon.headers["cache-control"]).toBe("public, max-age=3600");
        const script = await get(`/assets/${asset}`);
        expect(script.status).toBe(200);
        expect(script.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
        expect(buildStats()).toBe(2);
      } finally {
        stat.mockRestore();
      }
    });
  });
}
