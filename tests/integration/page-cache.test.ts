import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { createPageCache } from "../../app/lib/page-cache.server";

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
    await get("/calendar?month=2026-12", { Cookie: "hearth_prefs=en" });
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
