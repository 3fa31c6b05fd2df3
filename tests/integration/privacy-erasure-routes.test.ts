// Erasure's pages and API (ADR 23): a person erases themself with their password, staff erase on
// a documented request, both answer with counts in the documented shape; a second erasure is 404,
// the last admin 409 in words; the retention settings refuse what is out of range and keep the rest.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation, TEST_PASSWORD } from "../support/fixtures";
import { makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { makeApiUser, type ApiUser } from "../support/api-fixtures";
import { callApi, expectError } from "../support/api-requests";
import { countRows, text, loadRoute as get, submitRoute as post } from "../support/routes-kit";
import { signUp } from "../../models/signups";
import { people, sessions, stations } from "../../models/db/schema";
import * as eraseMyself from "../../app/routes/account_.erase";
import * as erasePage from "../../app/routes/manage.people.$id_.erase";
import * as accountPage from "../../app/routes/account";
import * as station from "../../app/routes/manage.station";

for (const backend of backends) {
  describe(`erasure pages and API on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let coordinator: Awaited<ReturnType<typeof makeActor>>;
    let admin: Awaited<ReturnType<typeof makeActor>>;
    let staffApi: ApiUser;

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      admin = await makeActor(t.db, stationId, ["admin"], "管理员");
      coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员");
      staffApi = await makeApiUser(t.db, stationId, ["coordinator"], "协调员API");
    });

    it("a resident erases herself on /account/erase: counts back, signed out, the place freed", async () => {
      const me = await makeActor(t.db, stationId, ["resident"], "李秀兰");
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 3, daysAhead: 2 });
      await signUp(t.db, { stationId, actor: me }, { sessionId, personId: me.personId, partySize: 1 });
      expect((await get(eraseMyself, "/account/erase", me.token)).status).toBe(200);
      const wrong = await post(eraseMyself, "/account/erase", { password: "not mine at all" }, me.token);
      expect(wrong.status).toBe(403);
      expect(JSON.stringify(wrong.body)).toContain(text("zh-CN", "error.erasure_wrong_password"));
      const done = await post(eraseMyself, "/account/erase", { password: TEST_PASSWORD }, me.token);
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ ok: true, result: { removed: { bookingsCancelled: 1, accountsClosed: 1 } } });
      expect(done.headers.get("Set-Cookie")).toMatch(/Max-Age=0/i);
      const [session] = await t.db.select({ taken: sessions.taken }).from(sessions).where(eq(sessions.id, sessionId));
      expect(session!.taken).toBe(0);
      // The old cookie names nobody now: the account page sends to the sign-in page.
      expect((await get(accountPage, "/account", me.token)).status).toBe(302);
    });

    it("staff erase a walk-in on request; the page is 404 afterwards, and residents may not open it", async () => {
      const [walkIn] = (await makePeople(t.db, stationId, 1, "散客")) as [number];
      const url = `/manage/people/${walkIn}/erase`;
      const params = { id: String(walkIn) };
      const resident = await makeActor(t.db, stationId, ["resident"], "居民");
      expect((await get(erasePage, url, resident.token, params)).status).toBe(403);
      expect((await get(erasePage, url, coordinator.token, params)).status).toBe(200);
      const before = await countRows(t.db, ["audit_log"]);
      expect((await post(erasePage, url, { via: "letter", note: "" }, coordinator.token, params)).status).toBe(400);
      expect(await countRows(t.db, ["audit_log"])).toEqual(before);
      const done = await post(erasePage, url, { via: "phone", note: "来电登记 7 号" }, coordinator.token, params);
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ ok: true, result: { removed: { personalDetails: 1, accountsClosed: 0 } } });
      expect((await get(erasePage, url, coordinator.token, params)).status).toBe(404);
      expect((await post(erasePage, url, { via: "phone", note: "" }, coordinator.token, params)).status).toBe(404);
    });

    it("the API erases for staff (200 with counts, then 404) and refuses the last admin with 409 in words", async () => {
      const [walkIn] = (await makePeople(t.db, stationId, 1, "来电")) as [number];
      const first = await callApi("api.v1.people.$id.erasure", "POST", {
        token: staffApi.token,
        params: { id: String(walkIn) },
        body: { via: "in_person" },
      });
      expect(first.status).toBe(200);
      expect(first.json).toMatchObject({ personId: walkIn, removed: { personalDetails: 1 }, kept: { visits: 0 } });
      expectError(
        await callApi("api.v1.people.$id.erasure", "POST", { token: staffApi.token, params: { id: String(walkIn) }, body: { via: "in_person" } }),
        404,
        "not_found",
      );
      expectError(
        await callApi("api.v1.people.$id.erasure", "POST", { token: staffApi.token, params: { id: String(walkIn) }, body: { via: "fax" } }),
        422,
        "invalid_input",
      );

      // The station's only admin: refused in words, and nothing about them changed.
      const refused = expectError(
        await callApi("api.v1.people.$id.erasure", "POST", { token: staffApi.token, params: { id: String(admin.personId) }, body: { via: "paper" } }),
        409,
        "last_admin",
      );
      const [still] = await t.db.select({ name: people.fullName }).from(people).where(eq(people.id, admin.personId));
      expect(still!.name).toBe("管理员");
      expect(refused.message).toBe(text("zh-CN", "error.last_admin"));
    });

    it("a person erases themself through the API with their password; the token then stops working", async () => {
      const me = await makeApiUser(t.db, stationId, ["resident"], "王建国");
      expectError(await callApi("api.v1.me.erasure", "POST", { token: me.token, body: { password: "wrong one" } }), 403, "erasure_wrong_password");
      const done = await callApi("api.v1.me.erasure", "POST", { token: me.token, body: { password: TEST_PASSWORD } });
      expect(done.status).toBe(200);
      expect(done.json.removed).toMatchObject({ accountsClosed: 1, tokens: 1 });
      expectError(await callApi("api.v1.me.erasure", "POST", { token: me.token, body: { password: TEST_PASSWORD } }), 401);
      const [row] = await t.db.select({ name: people.fullName }).from(people).where(eq(people.id, me.personId));
      expect(row!.name).toBe(`已删除的居民 #${me.personId}`);
    });

    it("admins keep the retention settings on /manage/station; out of range is refused and changes nothing", async () => {
      const page = await get(station, "/manage/station", admin.token);
      expect(page.body).toMatchObject({ retention: { mailDays: 90, detailDays: 730, walkInDays: 1095 }, runs: [] });
      const bad = await post(station, "/manage/station", { intent: "retention", mailDays: "3", detailDays: "730", walkInDays: "1095" }, admin.token);
      expect(bad.status).toBe(400);
      const [unchanged] = await t.db.select({ mail: stations.retentionMailDays }).from(stations).where(eq(stations.id, stationId));
      expect(unchanged!.mail).toBe(90);
      const saved = await post(
        station,
        "/manage/station",
        { intent: "retention", mailDays: "60", detailDays: "365", walkInDays: "1460" },
        admin.token,
      );
      expect(saved.status).toBe(200);
      const [row] = await t.db
        .select({ mail: stations.retentionMailDays, detail: stations.retentionDetailDays, walkIn: stations.retentionWalkInDays })
        .from(stations)
        .where(eq(stations.id, stationId));
      expect(row).toEqual({ mail: 60, detail: 365, walkIn: 1460 });
      expect(
        (await post(station, "/manage/station", { intent: "retention", mailDays: "60", detailDays: "365", walkInDays: "1460" }, coordinator.token))
          .status,
      ).toBe(403);
    });
  });
}
