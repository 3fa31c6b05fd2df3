// The guard, seen from the routes: every loader and action is listed below with the policy
// it must have, and each is called as every kind of viewer. The table is checked against
// the files in app/routes, so a new route cannot ship without being classified here, and
// the expected statuses are exact, so a route that forgets or weakens its guard fails.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, useBackend } from "../support/db";
import { categoryId, ensureStation, makeAccount } from "../support/fixtures";
import { getRequest, postRequest } from "../support/requests";
import {
  callSafely,
  countRows,
  refusal,
  seedSeries,
  stationDate,
  validSeriesForm,
  validSessionForm,
  type Handler,
  type TableName,
} from "../support/routes-kit";
import { endSession, startSession, type Role } from "../../models/auth";
import { goes, loadGuardParts, page, type Entry, type Fixture, type GuardViewer, type PolicyName } from "../support/guard-kit";
import { people } from "../../models/db/schema";
import { listRouteFiles } from "../support/route-files";

import * as root from "../../app/routes/_index";
import * as calendarLayout from "../../app/routes/calendar";
import * as calendarMonth from "../../app/routes/calendar._index";
import * as calendarWeek from "../../app/routes/calendar.week";
import * as calendarList from "../../app/routes/calendar.list";
import * as healthz from "../../app/routes/healthz";
import * as login from "../../app/routes/login";
import * as logout from "../../app/routes/logout";
import * as preferences from "../../app/routes/preferences";
import * as register from "../../app/routes/register";
import * as sessionPage from "../../app/routes/sessions.$id";
import * as manageIndex from "../../app/routes/manage._index/route";
import * as activityNew from "../../app/routes/manage.activities.new";
import * as activityEdit from "../../app/routes/manage.activities.$id";
import * as sessionEdit from "../../app/routes/manage.sessions.$id";
import * as categoriesAdmin from "../../app/routes/manage.categories";
import * as account from "../../app/routes/account";
import * as bookings from "../../app/routes/bookings";
import * as personBookings from "../../app/routes/people.$id.bookings";
import * as attendees from "../../app/routes/manage.sessions.$id_.attendees";
import * as attendeesCsv from "../../app/routes/manage.sessions.$id_.attendees[.]csv";
import * as bookFor from "../../app/routes/manage.sessions.$id_.book";
import * as calendarFeed from "../../app/routes/feeds.calendar[.]ics";
import * as sessionIcs from "../../app/routes/sessions.$id[.]ics";
import * as categoryFeed from "../../app/routes/feeds.$category[.]ics";
import * as personalFeed from "../../app/routes/feeds.me.$token[.]ics";

/** Route file (without extension) -> its module. Checked against the directory below. */
const routeModules: Record<string, Record<string, unknown>> = {
  _index: root,
  calendar: calendarLayout,
  "calendar._index": calendarMonth,
  "calendar.week": calendarWeek,
  "calendar.list": calendarList,
  healthz,
  login,
  logout,
  preferences,
  register,
  "sessions.$id": sessionPage,
  "manage._index": manageIndex,
  "manage.activities.new": activityNew,
  "manage.activities.$id": activityEdit,
  "manage.sessions.$id": sessionEdit,
  "manage.categories": categoriesAdmin,
  account,
  bookings,
  "people.$id.bookings": personBookings,
  "manage.sessions.$id_.attendees": attendees,
  "manage.sessions.$id_.attendees[.]csv": attendeesCsv,
  "manage.sessions.$id_.book": bookFor,
  "feeds.calendar[.]ics": calendarFeed,
  "sessions.$id[.]ics": sessionIcs,
  "feeds.$category[.]ics": categoryFeed,
  "feeds.me.$token[.]ics": personalFeed,
};

type ViewerKind = GuardViewer;
const VIEWERS: readonly ViewerKind[] = ["anonymous", "resident", "volunteer", "doctor", "coordinator", "admin"];

// Who each policy lets in; mirrors STAFF and ADMIN in app/lib/guard.server.ts on purpose
// (restated, not imported: importing them would make a widened policy pass its own test).
const ALLOWED: Record<Exclude<PolicyName, "public">, readonly Role[]> = {
  "signed-in": ["resident", "volunteer", "doctor", "coordinator", "admin"],
  staff: ["coordinator", "admin"],
  admin: ["admin"],
  desk: ["volunteer", "coordinator", "admin"],
};

let slugSeq = 0;

/** The roles the guard's 403 names for this entry and viewer: the entry policy's, unless it says otherwise. */
const rolesNamed = (entry: Entry, viewer: GuardViewer | "noRole" | "adminElsewhere") =>
  entry.refusedRoles?.(viewer) ?? ALLOWED[entry.policy as Exclude<PolicyName, "public">];

/** The station's one admin, by name: what a coordinator refused an admin-only page is told (ADR 30). */
const ADMIN_NAME = "管理员王芳";

/**
 * The refusal a signed-in viewer gets: who may open the page and, on a page for admins only
 * refused to staff (a coordinator), the admins' names; residents and the rest get no names.
 * (Containing: signing out everywhere is tried on a throwaway admin account of its own.)
 */
const expectedRefusal = (roles: readonly string[], viewer: string) => ({
  ...refusal("zh-CN", roles),
  ...(roles.length === 1 && roles[0] === "admin" && viewer === "coordinator" ? { admins: expect.arrayContaining([ADMIN_NAME]) } : {}),
});

const TABLE: Entry[] = [
  // Public pages and forms: every viewer reaches the handler's own logic.
  { route: "_index", kind: "loader", policy: "public", path: () => "/", ok: goes("/calendar") },
  { route: "calendar", kind: "loader", policy: "public", path: () => "/calendar", ok: page() },
  { route: "calendar._index", kind: "loader", policy: "public", path: () => "/calendar", ok: page() },
  { route: "calendar.week", kind: "loader", policy: "public", path: () => "/calendar/week", ok: page() },
  { route: "calendar.list", kind: "loader", policy: "public", path: () => "/calendar/list", ok: page() },
  { route: "healthz", kind: "loader", policy: "public", path: () => "/healthz", ok: page() },
  { route: "feeds.calendar[.]ics", kind: "loader", policy: "public", path: () => "/feeds/calendar.ics", ok: page() },
  // Remix names the parameter of `$category[.]ics` "category", without the suffix.
  {
    route: "feeds.$category[.]ics",
    kind: "loader",
    policy: "public",
    path: () => "/feeds/tai-chi.ics",
    params: () => ({ category: "tai-chi" }),
    ok: page(),
  },
  // The token in the path is the credential, not the cookie: a bogus one is 404 for everyone.
  {
    route: "feeds.me.$token[.]ics",
    kind: "loader",
    policy: "public",
    path: () => "/feeds/me/not-a-real-token.ics",
    params: () => ({ token: "not-a-real-token" }),
    ok: page(404),
  },
  {
    route: "sessions.$id",
    kind: "loader",
    policy: "public",
    path: (fx) => `/sessions/${fx.sessionId}`,
    params: (fx) => ({ id: String(fx.sessionId) }),
    ok: page(),
  },
  // One session as a calendar file: public, like the feeds.
  {
    route: "sessions.$id[.]ics",
    kind: "loader",
    policy: "public",
    path: (fx) => `/sessions/${fx.sessionId}.ics`,
    params: (fx) => ({ id: String(fx.sessionId) }),
    ok: page(),
  },
  // A signed-in visitor has no business on the sign-in or register page: sent on.
  {
    route: "login",
    kind: "loader",
    policy: "public",
    path: () => "/login",
    ok: (_, signedIn) => (signedIn ? { status: 302, location: "/calendar" } : { status: 200 }),
  },
  {
    route: "register",
    kind: "loader",
    policy: "public",
    path: () => "/register",
    ok: (_, signedIn) => (signedIn ? { status: 302, location: "/calendar" } : { status: 200 }),
  },
  // Empty forms: the 400 proves the request got past the guard into validation.
  { route: "login", kind: "action", policy: "public", path: () => "/login", form: () => ({}), ok: page(400) },
  { route: "register", kind: "action", policy: "public", path: () => "/register", form: () => ({}), ok: page(400) },
  { route: "logout", kind: "loader", policy: "public", path: () => "/logout", ok: goes("/calendar") },
  { route: "logout", kind: "action", policy: "public", path: () => "/logout", form: () => ({}), ok: goes("/calendar") },
  { route: "preferences", kind: "loader", policy: "public", path: () => "/preferences", ok: goes("/calendar") },
  {
    route: "preferences",
    kind: "action",
    policy: "public",
    path: () => "/preferences",
    form: () => ({ locale: "en", redirectTo: "/calendar/week" }),
    ok: goes("/calendar/week"),
  },

  // Any signed-in account: its own account page; signing out everywhere is audited.
  { route: "account", kind: "loader", policy: "signed-in", path: () => "/account", ok: page() },
  {
    route: "account",
    kind: "action",
    policy: "signed-in",
    path: () => "/account",
    form: () => ({ intent: "sign-out-everywhere" }),
    ok: goes("/login"),
  },

  // Signups: one's own place on the session page; one's own bookings.
  {
    route: "sessions.$id",
    kind: "action",
    policy: "signed-in",
    path: (fx) => `/sessions/${fx.signupSessionId}`,
    params: (fx) => ({ id: String(fx.signupSessionId) }),
    form: () => ({ intent: "signup", partySize: "1" }),
    ok: (fx) => ({ status: 302, location: `/sessions/${fx.signupSessionId}?done=confirmed` }),
  },
  { route: "bookings", kind: "loader", policy: "signed-in", path: () => "/bookings", ok: page() },
  {
    route: "bookings",
    kind: "action",
    policy: "signed-in",
    path: () => "/bookings",
    form: () => ({ intent: "cancel", signupId: "0" }),
    ok: page(400),
    writesNothing: true,
  },
  // Someone else's bookings: staff (and the household's caretaker; see signups tests). To
  // everyone else the person does not exist.
  {
    route: "people.$id.bookings",
    kind: "loader",
    policy: "staff",
    path: (fx) => `/people/${fx.personId}/bookings`,
    params: (fx) => ({ id: String(fx.personId) }),
    ok: page(),
    refused: { status: 404, body: "找不到这个页面或记录。" },
  },
  {
    route: "people.$id.bookings",
    kind: "action",
    policy: "staff",
    path: (fx) => `/people/${fx.personId}/bookings`,
    params: (fx) => ({ id: String(fx.personId) }),
    form: () => ({ intent: "cancel", signupId: "0" }),
    ok: page(400),
    refused: { status: 404, body: "找不到这个页面或记录。" },
    writesNothing: true,
  },
  {
    route: "manage.sessions.$id_.attendees",
    kind: "loader",
    policy: "staff",
    path: (fx) => `/manage/sessions/${fx.signupSessionId}/attendees`,
    params: (fx) => ({ id: String(fx.signupSessionId) }),
    ok: page(),
  },
  {
    route: "manage.sessions.$id_.attendees",
    kind: "action",
    policy: "staff",
    path: (fx) => `/manage/sessions/${fx.signupSessionId}/attendees`,
    params: (fx) => ({ id: String(fx.signupSessionId) }),
    form: () => ({ intent: "cancel", signupId: "0" }),
    ok: page(400),
    writesNothing: true,
  },
  {
    route: "manage.sessions.$id_.attendees[.]csv",
    kind: "loader",
    policy: "staff",
    path: (fx) => `/manage/sessions/${fx.signupSessionId}/attendees.csv`,
    params: (fx) => ({ id: String(fx.signupSessionId) }),
    ok: page(),
  },
  {
    route: "manage.sessions.$id_.book",
    kind: "loader",
    policy: "staff",
    path: (fx) => `/manage/sessions/${fx.signupSessionId}/book?q=139`,
    params: (fx) => ({ id: String(fx.signupSessionId) }),
    ok: page(),
  },
  {
    route: "manage.sessions.$id_.book",
    kind: "action",
    policy: "staff",
    path: (fx) => `/manage/sessions/${fx.signupSessionId}/book`,
    params: (fx) => ({ id: String(fx.signupSessionId) }),
    form: () => ({ intent: "create", fullName: `来电居民${++slugSeq}`, phone: "13900000000", partySize: "1" }),
    ok: page(),
  },

  // Staff: coordinators and admins manage the calendar.
  { route: "manage._index", kind: "loader", policy: "staff", path: () => "/manage", ok: page() },
  { route: "manage.activities.new", kind: "loader", policy: "staff", path: () => "/manage/activities/new", ok: page() },
  {
    route: "manage.activities.new",
    kind: "action",
    policy: "staff",
    path: () => "/manage/activities/new",
    form: (fx) => validSeriesForm(fx.categoryId),
    ok: goes(/^\/manage\/activities\/\d+\?saved=1$/),
  },
  {
    route: "manage.activities.$id",
    kind: "loader",
    policy: "staff",
    path: (fx) => `/manage/activities/${fx.activityId}`,
    params: (fx) => ({ id: String(fx.activityId) }),
    ok: page(),
  },
  {
    route: "manage.activities.$id",
    kind: "action",
    policy: "staff",
    path: (fx) => `/manage/activities/${fx.activityId}`,
    params: (fx) => ({ id: String(fx.activityId) }),
    form: (fx) => validSeriesForm(fx.categoryId, { title: "太极拳晨练(改)", repeat: "daily", weekdays: [], count: "10", startTime: "07:30" }),
    ok: (fx) => ({ status: 302, location: `/manage/activities/${fx.activityId}?saved=1` }),
  },
  {
    route: "manage.sessions.$id",
    kind: "loader",
    policy: "staff",
    path: (fx) => `/manage/sessions/${fx.sessionId}`,
    params: (fx) => ({ id: String(fx.sessionId) }),
    ok: page(),
  },
  {
    route: "manage.sessions.$id",
    kind: "action",
    policy: "staff",
    path: (fx) => `/manage/sessions/${fx.sessionId}`,
    params: (fx) => ({ id: String(fx.sessionId) }),
    form: () => validSessionForm(),
    ok: (fx) => ({ status: 302, location: `/sessions/${fx.sessionId}` }),
  },

  // Admin only: categories shape the whole calendar.
  { route: "manage.categories", kind: "loader", policy: "admin", path: () => "/manage/categories", ok: page() },
  {
    route: "manage.categories",
    kind: "action",
    policy: "admin",
    path: () => "/manage/categories",
    form: () => ({ slug: `guard-${++slugSeq}`, nameZh: "测试类别", nameEn: "Test category", color: "#123456" }),
    ok: goes("/manage/categories"),
  },
];

// Feature tables (tests/integration/guard-tables/*.ts) add their routes, entries and fixtures.
const parts = await loadGuardParts();
for (const part of parts) {
  Object.assign(routeModules, part.modules);
  TABLE.push(...part.entries);
}

const PROTECTED = TABLE.filter((e) => e.policy !== "public");
// Pages for roles: an account with no role here (or an admin elsewhere) is refused them.
const ROLE_PROTECTED = PROTECTED.filter((e) => e.policy !== "signed-in");
const handlerOf = (e: Entry) => routeModules[e.route]![e.kind] as Handler;
const label = (e: Entry) => `${e.route} ${e.kind}`;
// Only the tables the manage actions write; the guard test's accounts and sessions are its own.
const WATCHED = [
  ...new Set<TableName>(["activities", "sessions", "categories", "audit_log", "signups", "people", ...parts.flatMap((p) => p.watched ?? [])]),
];

describe("the guard table", () => {
  it("lists every route module in app/routes", () => {
    // The JSON API's resource routes (api.*) have their own matrix in tests/integration/api-*.test.ts.
    const names = listRouteFiles()
      .map((route) => route.name)
      .filter((name) => !name.startsWith("api."));
    expect(Object.keys(routeModules).sort()).toEqual(names.sort());
  });

  it("classifies every exported loader and action, and nothing else", () => {
    const exported = Object.entries(routeModules).flatMap(([route, mod]) =>
      (["loader", "action"] as const).filter((kind) => typeof mod[kind] === "function").map((kind) => `${route} ${kind}`),
    );
    expect([...new Set(TABLE.map(label))].sort()).toEqual(exported.sort());
  });
});

for (const backend of backends) {
  describe(`route guard on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    const fx: Fixture = { activityId: 0, sessionId: 0, categoryId: 0, signupSessionId: 0, personId: 0, extra: {} };
    const accounts = {} as Record<ViewerKind, { accountId: number; token?: string }>;
    const extra = {} as Record<"noRole" | "adminElsewhere", { token: string }>;

    beforeAll(async () => {
      const station = await ensureStation(t.db);
      accounts.anonymous = { accountId: 0 };
      for (const role of VIEWERS.filter((v): v is Role => v !== "anonymous")) {
        // The admin has a name of its own: a coordinator refused an admin-only page is told it.
        accounts[role] = await makeAccount(t.db, station.id, [role], role === "admin" ? ADMIN_NAME : undefined);
      }
      // Signed in, but with no role here; and an admin, but of another station.
      extra.noRole = await makeAccount(t.db, station.id, []);
      const elsewhere = await ensureStation(t.db, "elsewhere");
      extra.adminElsewhere = await makeAccount(t.db, elsewhere.id, ["admin"]);
      fx.categoryId = await categoryId(t.db, station.id, "tai-chi");
      Object.assign(fx, await seedSeries(t.db, { stationId: station.id, actorAccountId: accounts.coordinator.accountId, categoryId: fx.categoryId }));
      fx.signupSessionId = (
        await seedSeries(t.db, { stationId: station.id, actorAccountId: accounts.coordinator.accountId, categoryId: fx.categoryId })
      ).sessionId;
      const [resident] = await t.db.insert(people).values({ stationId: station.id, fullName: "无账号居民" }).returning({ id: people.id });
      fx.personId = resident!.id;
      for (const part of parts) await part.prepare?.(t.db, fx, { stationId: station.id, accounts });
    });

    /** Calls an entry's handler as a viewer (by token), with its path, params and valid form. */
    async function hit(entry: Entry, token: string | undefined, options: { locale?: "en"; search?: string } = {}) {
      const url = entry.path(fx) + (options.search ?? "");
      const request =
        entry.kind === "loader"
          ? await getRequest(url, { token, locale: options.locale })
          : await postRequest(url, entry.form?.(fx) ?? {}, { token, locale: options.locale });
      return callSafely(handlerOf(entry), request, entry.params?.(fx) ?? {});
    }

    /** Signing out revokes the token it is given: hand logout a throwaway session of the same account. */
    async function tokenFor(entry: Entry, viewer: ViewerKind) {
      const account = accounts[viewer];
      if (viewer === "anonymous") return undefined;
      if (entry.route === "logout" && entry.kind === "action") return (await startSession(t.db, account.accountId)).token;
      // Signing out everywhere revokes every session of the account: use a throwaway account.
      if (entry.route === "account" && entry.kind === "action") return (await makeAccount(t.db, (await ensureStation(t.db)).id, [viewer])).token;
      return account.token;
    }

    const loginRedirect = (entry: Entry, search = "") => `/login?redirectTo=${encodeURIComponent(entry.path(fx) + search)}`;

    for (const entry of TABLE) {
      for (const viewer of VIEWERS) {
        const allowed = entry.policy === "public" || (viewer !== "anonymous" && ALLOWED[entry.policy].includes(viewer));
        const expectation = entry.policy === "public" || allowed ? "lets in" : viewer === "anonymous" ? "sends to sign-in" : "refuses (403)";
        it(`${label(entry)} [${entry.policy}] ${expectation}: ${viewer}`, async () => {
          const before = await countRows(t.db, WATCHED);
          const result = await hit(entry, await tokenFor(entry, viewer));
          const after = await countRows(t.db, WATCHED);

          if (allowed) {
            const ok = entry.ok(fx, viewer !== "anonymous");
            expect(result.status, String(result.body)).toBe(ok.status);
            if (ok.location) expect(result.headers.get("Location")).toMatch(ok.location);
            // An allowed manage action really writes (at least its audit row): the
            // "nothing written" checks below are therefore able to fail.
            if (entry.kind === "action" && entry.policy !== "public" && !entry.writesNothing)
              expect(after.audit_log).toBeGreaterThan(before.audit_log!);
            return;
          }
          if (viewer === "anonymous") {
            expect(result.status).toBe(302);
            expect(result.thrown).toBe(true);
            expect(result.headers.get("Location")).toBe(loginRedirect(entry));
          } else {
            expect(result.status).toBe(entry.refused?.status ?? 403);
            expect(result.thrown).toBe(true);
            expect(result.body).toEqual(entry.refused?.body ?? expectedRefusal(rolesNamed(entry, viewer), viewer));
          }
          expect(after).toEqual(before);
        });
      }
    }

    describe("viewers with no role at this station", () => {
      for (const entry of ROLE_PROTECTED) {
        for (const who of ["noRole", "adminElsewhere"] as const) {
          it(`${label(entry)} refuses ${who}`, async () => {
            const before = await countRows(t.db, WATCHED);
            const result = await hit(entry, extra[who].token);
            expect(result.status).toBe(entry.refused?.status ?? 403);
            expect(result.body).toEqual(entry.refused?.body ?? expectedRefusal(rolesNamed(entry, who), who));
            expect(await countRows(t.db, WATCHED)).toEqual(before);
          });
        }
      }
    });

    describe("details of refusal", () => {
      it("says no in English when the visitor chose English", async () => {
        const entry = PROTECTED.find((e) => e.route === "manage.categories" && e.kind === "action")!;
        const result = await hit(entry, accounts.coordinator.token, { locale: "en" });
        expect(result.status).toBe(403);
        expect(result.body).toEqual({
          code: "not_allowed",
          roles: ["admin"],
          message: "You are not allowed to do this.",
          admins: expect.arrayContaining([ADMIN_NAME]),
        });
      });

      it("keeps the query string in redirectTo, encoded", async () => {
        const entry = PROTECTED.find((e) => e.route === "manage._index")!;
        const result = await hit(entry, undefined, { search: "?tab=series&x=1" });
        expect(result.status).toBe(302);
        expect(result.headers.get("Location")).toBe("/login?redirectTo=%2Fmanage%3Ftab%3Dseries%26x%3D1");
      });

      it("treats an unknown session token as anonymous", async () => {
        for (const entry of PROTECTED) {
          const result = await hit(entry, "no-such-token-" + "x".repeat(30));
          expect(result.status, label(entry)).toBe(302);
          expect(result.headers.get("Location"), label(entry)).toBe(loginRedirect(entry));
        }
      });
    });

    describe("a revoked session", () => {
      it("is anonymous to every protected handler", async () => {
        const { token } = await startSession(t.db, accounts.admin.accountId);
        // Before: the same token gets in (so the 302s below are caused by the revocation).
        expect((await hit(PROTECTED[0]!, token)).status).toBe(200);
        await endSession(t.db, token);
        for (const entry of PROTECTED) {
          const before = await countRows(t.db, WATCHED);
          const result = await hit(entry, token);
          expect(result.status, label(entry)).toBe(302);
          expect(result.headers.get("Location"), label(entry)).toBe(loginRedirect(entry));
          expect(await countRows(t.db, WATCHED), label(entry)).toEqual(before);
        }
      });

      it("is anonymous to public pages too", async () => {
        const { token } = await startSession(t.db, accounts.coordinator.accountId);
        const sessionEntry = TABLE.find((e) => e.route === "sessions.$id")!;
        const loginPage = TABLE.find((e) => e.route === "login" && e.kind === "loader")!;
        expect((await hit(sessionEntry, token)).body).toMatchObject({ canManage: true });
        expect((await hit(loginPage, token)).status).toBe(302);
        await endSession(t.db, token);
        expect((await hit(sessionEntry, token)).body).toMatchObject({ canManage: false });
        expect((await hit(loginPage, token)).status).toBe(200);
      });
    });

    describe("public pages for an anonymous visitor", () => {
      const anon = (path: string) => getRequest(path);
      // Its own series: the matrix above edits fx's activity and moves fx's session.
      let shown = { activityId: 0, sessionId: 0 };
      beforeAll(async () => {
        const station = await ensureStation(t.db);
        shown = await seedSeries(t.db, { stationId: station.id, actorAccountId: accounts.coordinator.accountId, categoryId: fx.categoryId });
      });

      it("the calendar layout lists the categories", async () => {
        const result = await callSafely(calendarLayout.loader as Handler, await anon("/calendar"));
        expect(result.status).toBe(200);
        const body = result.body as { categories: { slug: string; name: string }[] };
        expect(body.categories).toContainEqual(expect.objectContaining({ slug: "tai-chi", name: "太极拳" }));
      });

      it("the month, week and list views show the seeded session", async () => {
        const day = stationDate(1);
        const month = await callSafely(calendarMonth.loader as Handler, await anon(`/calendar?month=${day.slice(0, 7)}`));
        const week = await callSafely(calendarWeek.loader as Handler, await anon(`/calendar/week?date=${day}`));
        const list = await callSafely(calendarList.loader as Handler, await anon("/calendar/list"));
        for (const result of [month, week, list]) expect(result.status).toBe(200);
        const ids = (days: { sessions: { id: number }[] }[]) => days.flatMap((d) => d.sessions.map((s) => s.id));
        expect(ids((month.body as { weeks: { sessions: { id: number }[] }[][] }).weeks.flat())).toContain(shown.sessionId);
        expect(ids((week.body as { days: { sessions: { id: number }[] }[] }).days)).toContain(shown.sessionId);
        expect(ids((list.body as { days: { sessions: { id: number }[] }[] }).days)).toContain(shown.sessionId);
      });

      it("the session page shows the session without staff links", async () => {
        const result = await callSafely(sessionPage.loader as Handler, await anon(`/sessions/${shown.sessionId}`), { id: String(shown.sessionId) });
        expect(result.status).toBe(200);
        expect(result.body).toMatchObject({ session: { id: shown.sessionId, title: "太极拳晨练" }, canManage: false });
      });
    });
  });
}
