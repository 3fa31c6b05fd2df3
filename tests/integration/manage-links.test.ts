/**
 * The session editor and its attendee list link to the session's roster; the series editor
 * links to the series' roster needs. Each page is rendered on the server from what its real
 * loader returns (a static data router, as on a first page load), in both languages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createElement, type ComponentType } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { Outlet, type RouteObject } from "react-router-dom";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { backends, useBackend } from "../support/db";
import { categoryId, ensureStation, makeAccount } from "../support/fixtures";
import { call, getRequest } from "../support/requests";
import { seedSeries, text, type Handler, type Locale } from "../support/routes-kit";
import * as sessionEdit from "../../app/routes/manage.sessions.$id";
import * as attendees from "../../app/routes/manage.sessions.$id_.attendees";
import * as activityEdit from "../../app/routes/manage.activities.$id";

interface Page {
  loader: Handler;
  default: ComponentType;
}

/** The page's markup at `path` (pattern `pattern`), with the data its loader gives `token` in `locale`. */
async function render(page: Page, pattern: string, path: string, params: Record<string, string>, token: string, locale: Locale) {
  const loaded = await call(page.loader, await getRequest(path, { token, locale }), params);
  expect(loaded.status, JSON.stringify(loaded.body)).toBe(200);
  const routes: RouteObject[] = [
    {
      id: "root",
      path: "/",
      loader: () => ({ locale, largeText: false, viewer: null, station: null }),
      Component: Outlet,
      children: [{ id: "page", path: pattern.slice(1), loader: () => loaded.body as Record<string, unknown>, Component: page.default }],
    },
  ];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(`http://localhost${path}`));
  if (context instanceof Response) throw new Error(`render: ${context.status}`);
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToStaticMarkup(createElement(StaticRouterProvider, { router, context, hydrate: false }));
}

/** The text of every link to `href` in the markup. */
const linksTo = (html: string, href: string) =>
  [...html.matchAll(/<a\b[^>]*href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].filter((m) => m[1] === href).map((m) => m[2]);

for (const backend of backends) {
  describe(`links from the manage pages to the roster on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let token = "";
    let activityId = 0;
    let sessionId = 0;

    beforeAll(async () => {
      const station = await ensureStation(t.db);
      const coordinator = await makeAccount(t.db, station.id, ["coordinator"]);
      token = coordinator.token;
      ({ activityId, sessionId } = await seedSeries(t.db, {
        stationId: station.id,
        actorAccountId: coordinator.accountId,
        categoryId: await categoryId(t.db, station.id, "tai-chi"),
      }));
    });

    for (const locale of ["zh-CN", "en"] as const) {
      it(`the session editor links to the session's roster (${locale})`, async () => {
        const html = await render(
          sessionEdit as Page,
          "/manage/sessions/:id",
          `/manage/sessions/${sessionId}`,
          { id: String(sessionId) },
          token,
          locale,
        );
        expect(linksTo(html, `/manage/sessions/${sessionId}/roster`)).toEqual([text(locale, "manage.rosterLink")]);
      });

      it(`the attendee list links to the session's roster (${locale})`, async () => {
        const html = await render(
          attendees as Page,
          "/manage/sessions/:id/attendees",
          `/manage/sessions/${sessionId}/attendees`,
          { id: String(sessionId) },
          token,
          locale,
        );
        expect(linksTo(html, `/manage/sessions/${sessionId}/roster`)).toEqual([text(locale, "manage.rosterLink")]);
      });

      it(`the series editor links to the series' roster needs (${locale})`, async () => {
        const html = await render(
          activityEdit as Page,
          "/manage/activities/:id",
          `/manage/activities/${activityId}`,
          { id: String(activityId) },
          token,
          locale,
        );
        expect(linksTo(html, `/manage/activities/${activityId}/needs`)).toEqual([text(locale, "manage.needsLink")]);
      });
    }

    it("says 排班 / Roster and 排班需求 / Roster needs", () => {
      expect([text("zh-CN", "manage.rosterLink"), text("en", "manage.rosterLink")]).toEqual(["排班", "Roster"]);
      expect([text("zh-CN", "manage.needsLink"), text("en", "manage.needsLink")]).toEqual(["排班需求", "Roster needs"]);
    });
  });
}
