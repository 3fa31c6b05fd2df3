// Every place that redirects to a caller-given target (sign-in's ?redirectTo and its form
// field, the language/text-size form), driven through the real route modules with a table of
// hostile targets: each must answer a redirect to a path on this site (or the safe fallback),
// never to another host and never a 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, useBackend } from "../support/db";
import { ensureStation, makeAccount, TEST_PASSWORD } from "../support/fixtures";
import { call, getRequest, postRequest } from "../support/requests";
import * as login from "../../app/routes/login";
import * as preferences from "../../app/routes/preferences";
import { zhCN } from "../../models/i18n/zh-CN";

const FALLBACK = "/calendar";
const SITE = "https://station.example";

/** Targets a browser could read as another host (or that no header can carry as written). */
const HOSTILE = [
  "//evil.example",
  "///evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "/\u0000/evil.example",
  "/\u007f/evil.example",
  "/ca\tlendar",
  "/%2F/evil.example",
  "/%2f%2fevil.example",
  "/%5C/evil.example",
  "/%5cevil.example",
  "/%09/evil.example",
  "/%0d%0aSet-Cookie:x=1",
  "/.//evil.example",
  "https://evil.example/",
  "http:evil.example",
  "javascript:alert(1)",
  "data:text/html,hi",
  "evil.example",
  " /calendar",
  "",
  "/" + "a".repeat(600),
];
/** Same-site targets: kept (percent-encoded where a header needs it). */
const SAFE: [string, string][] = [
  ["/calendar/week", "/calendar/week"],
  ["/sessions/12?party=2", "/sessions/12?party=2"],
  ["/calendar?month=2026-12#today", "/calendar?month=2026-12#today"],
  ["/日历", "/%E6%97%A5%E5%8E%86"],
  ["/calendar/../bookings", "/bookings"],
];

function expectSameSite(location: string | null, target: string) {
  expect(location, JSON.stringify(target)).not.toBeNull();
  // eslint-disable-next-line no-control-regex -- asserting their absence
  expect(location!, JSON.stringify(target)).not.toMatch(/[\u0000-\u0020\u007f\\]/);
  expect(new URL(location!, SITE).origin, JSON.stringify(target)).toBe(SITE);
  expect(location!.startsWith("/") && !location!.startsWith("//"), JSON.stringify(target)).toBe(true);
}

for (const backend of backends) {
  describe(`redirect targets on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let account: Awaited<ReturnType<typeof makeAccount>>;

    beforeAll(async () => {
      const station = await ensureStation(t.db);
      account = await makeAccount(t.db, station.id, ["resident"]);
    });

    const routes: [string, (target: string) => Promise<Request>, typeof login.loader | typeof login.action][] = [
      ["sign-in page, signed in", (target) => getRequest(`/login?redirectTo=${encodeURIComponent(target)}`, { token: account.token }), login.loader],
      ["sign-in form", (target) => postRequest("/login", { login: account.email, password: TEST_PASSWORD, redirectTo: target }), login.action],
      ["preferences form", (target) => postRequest("/preferences", { locale: "en", largeText: "false", redirectTo: target }), preferences.action],
    ];

    for (const [name, request, handler] of routes) {
      it(`${name}: hostile targets fall back to ${FALLBACK}`, async () => {
        for (const target of HOSTILE) {
          const result = await call(handler as never, await request(target));
          if (result.status === 400 && name === "sign-in form") continue; // refused as a form error: no redirect at all
          // A NUL anywhere in a page's address is refused by the guard before the page runs: a plain 400, no redirect at all.
          if (target.includes("\u0000") && name === "sign-in page, signed in") {
            expect(result, JSON.stringify(target)).toMatchObject({ status: 400, body: zhCN["error.badRequest"] });
            continue;
          }
          expect(result.status, JSON.stringify(target)).toBe(302);
          expect(result.headers.get("Location"), JSON.stringify(target)).toBe(FALLBACK);
        }
      });

      it(`${name}: same-site targets are kept`, async () => {
        for (const [target, expected] of SAFE) {
          const result = await call(handler as never, await request(target));
          expect(result.status, target).toBe(302);
          expectSameSite(result.headers.get("Location"), target);
          expect(result.headers.get("Location"), target).toBe(expected);
        }
      });
    }
  });
}
