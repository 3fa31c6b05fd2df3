import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import http from "node:http";
import express from "express";
import { createRemixRequest } from "@remix-run/express/dist/server.js";
import { createPageCache } from "../../server/page-cache";
import { readSessionToken, writeSessionToken } from "../../app/lib/cookies.server";

// A real Express server on loopback whose handlers count renders: the cache must save
// renders for anonymous visitors and never serve one visitor's page to another.
describe("page cache", () => {
  const cache = createPageCache(60_000);
  let renders = 0;
  let server: Server;
  let base = "";
  let release: () => void = () => {};

  beforeAll(async () => {
    const app = express();
    app.use(cache.middleware);
    app.get("/calendar", (req, res) => {
      renders++;
      res.type("html").send(`<p>render ${renders} ${req.query.month ?? ""}</p>`);
    });
    app.get("/calendar/week", (_req, res) => {
      renders++;
      res.cookie("x", "1").send("with a cookie");
    });
    app.get("/calendar/list", (_req, res) => {
      renders++;
      res.status(404).send("nope");
    });
    app.get("/sessions/1", (_req, res) => {
      renders++;
      // Stays open until the test lets it finish, so a write can land mid-render.
      void new Promise<void>((resolve) => (release = resolve)).then(() => res.send(`slow render ${renders}`));
    });
    app.get("/manage", (_req, res) => {
      renders++;
      res.send("staff page");
    });
    app.post("/preferences", (_req, res) => res.redirect("/calendar"));
    server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = (path: string, headers: Record<string, string> = {}) => fetch(base + path, { headers, redirect: "manual" });

  it("renders a public page once for many anonymous visitors, per URL and language cookie", async () => {
    cache.clear();
    const start = renders;
    const first = await get("/calendar?month=2026-12");
    const second = await get("/calendar?month=2026-12");
    expect(await second.text()).toBe(await first.text());
    expect(second.headers.get("x-page-cache")).toBe("hit");
    expect(renders - start).toBe(1);
    await get("/calendar?month=2027-01");
    const english = Buffer.from(JSON.stringify({ locale: "en", largeText: false })).toString("base64");
    await get("/calendar?month=2026-12", { Cookie: `hearth_prefs=${encodeURIComponent(english)}` });
    expect(renders - start).toBe(3);
  });

  it("answers a matching If-None-Match with 304", async () => {
    const { headers } = await get("/calendar?month=2026-12");
    const etag = headers.get("etag")!;
    expect(etag).toMatch(/^".+"$/);
    expect((await get("/calendar?month=2026-12", { "If-None-Match": etag })).status).toBe(304);
  });

  it("never caches for a signed-in visitor, nor pages outside the public set", async () => {
    const start = renders;
    await get("/calendar", { Cookie: "hearth_session=abc" });
    await get("/calendar", { Cookie: "hearth_session=abc" });
    await get("/manage");
    await get("/manage");
    expect(renders - start).toBe(4);
  });

  it("keeps neither responses that set a cookie nor non-200 ones", async () => {
    const start = renders;
    await get("/calendar/week");
    await get("/calendar/week");
    await get("/calendar/list");
    await get("/calendar/list");
    expect(renders - start).toBe(4);
  });

  it("empties on any write, and does not keep a page rendered while a write went through", async () => {
    await get("/calendar");
    const start = renders;
    await fetch(base + "/preferences", { method: "POST", redirect: "manual" });
    await get("/calendar");
    expect(renders - start).toBe(1);

    cache.clear();
    const slow = get("/sessions/1");
    while (renders === start + 1) await new Promise((r) => setTimeout(r, 5));
    await fetch(base + "/preferences", { method: "POST", redirect: "manual" });
    release();
    await slow;
    await new Promise((r) => setTimeout(r, 20));
    expect(cache.size()).toBe(0);
  });
});

// The app decides who is signed in by parsing the Cookie header (Remix's parser); the cache
// must never decide "anonymous" where the app decides "signed in", however the cookie is spelt.
describe("page cache and signed-in requests spelt in odd ways", () => {
  const cache = createPageCache(60_000);
  let server: Server;
  let port = 0;
  const TOKEN = "tok-of-a-signed-in-resident";
  let value = "";

  beforeAll(async () => {
    value = (await writeSessionToken(new Request("http://localhost/"), TOKEN)).split(";")[0]!.slice("hearth_session=".length);
    const app = express();
    app.use(cache.middleware);
    // Renders the way the app does: the session read by the app's own cookie code.
    app.get("/calendar", (req, res, next) => {
      void readSessionToken(createRemixRequest(req, res))
        .then((token) => res.type("html").send(token ? `signed in as ${token}` : "anonymous"))
        .catch(next);
    });
    server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** node:http, so that Cookie can be sent as several header lines and exactly as written. */
  function get(headers: Record<string, string | string[]>) {
    return new Promise<{ body: string; cached: boolean }>((resolve, reject) => {
      const request = http.get({ host: "127.0.0.1", port, path: "/calendar", headers, agent: false }, (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ body, cached: response.headers["x-page-cache"] === "hit" }));
      });
      request.on("error", reject);
    });
  }

  const spellings = (): [string, Record<string, string | string[]>][] => {
    const raw = decodeURIComponent(value);
    return [
      ["plain", { Cookie: `hearth_session=${value}` }],
      ["undecoded value", { Cookie: `hearth_session=${raw}` }],
      ["quoted value", { Cookie: `hearth_session="${value}"` }],
      ["spaces around the name and value", { Cookie: ` hearth_session = ${value} ` }],
      ["space before =", { Cookie: `hearth_session =${value}` }],
      ["tab before the name", { Cookie: `\thearth_session=${value}` }],
      ["after another cookie, no space", { Cookie: `a=1;hearth_session=${value}` }],
      ["after the preferences cookie", { Cookie: `hearth_prefs=x; hearth_session=${value}` }],
      ["leading and trailing semicolons", { Cookie: `;;hearth_session=${value};` }],
      ["twice", { Cookie: `hearth_session=${value}; hearth_session=${value}` }],
      ["an empty one, then the real one", { Cookie: `hearth_session=; hearth_session=${value}` }],
      ["several Cookie headers", { Cookie: ["a=1", `hearth_session=${value}`] }],
      ["several Cookie headers, session first", { Cookie: [`hearth_session=${value}`, "b=2"] }],
      ["upper-case header name", { COOKIE: `hearth_session=${value}` }],
      ["upper-case cookie name", { Cookie: `HEARTH_SESSION=${value}` }],
      ["percent-encoded cookie name", { Cookie: `hearth%5Fsession=${value}` }],
      ["a value that does not decode", { Cookie: "hearth_session=%%%" }],
      ["bearer token, no cookie", { Authorization: "Bearer abc" }],
      ["basic credentials, no cookie", { Authorization: "Basic YTpi" }],
    ];
  };

  it("never stores nor serves a page rendered for a signed-in request", async () => {
    for (const [name, headers] of spellings()) {
      cache.clear();
      const first = await get(headers);
      const second = await get(headers);
      const anonymous = await get({});
      expect(anonymous.body, name).toBe("anonymous");
      if (first.body !== "anonymous" || second.body !== "anonymous") {
        // The app saw someone: nothing of theirs may be kept, and they get their own page.
        expect(first.cached || second.cached, name).toBe(false);
        expect(cache.size(), name).toBeLessThanOrEqual(1);
        expect((await get({})).body, name).toBe("anonymous");
      }
    }
  });

  it("the spellings the app reads as signed in are all exercised", async () => {
    let signedIn = 0;
    for (const [, headers] of spellings()) if ((await get(headers)).body === `signed in as ${TOKEN}`) signedIn++;
    // The negative control: the test would prove nothing if the app saw nobody.
    expect(signedIn).toBeGreaterThanOrEqual(10);
  });

  it("bypasses the cache for any request carrying the session cookie or credentials", async () => {
    cache.clear();
    for (const [name, headers] of spellings()) {
      if (name.startsWith("upper-case cookie") || name.startsWith("percent-encoded")) continue;
      await get(headers);
      expect(cache.size(), name).toBe(0);
    }
  });
});
