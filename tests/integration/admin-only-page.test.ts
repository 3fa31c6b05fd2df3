// A page for admins only says who can open it (ADR 30): a coordinator is refused with the
// station's admins by name (not another station's, not a closed account's, no contact details);
// a resident keeps the plain refusal naming the role. One mechanism: the guard's refusal.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation, makeAccount } from "../support/fixtures";
import { getRequest } from "../support/requests";
import { callSafely, refusal, type Handler } from "../support/routes-kit";
import { accounts } from "../../models/db/schema";
import * as station from "../../app/routes/manage.station";
import * as outbox from "../../app/routes/manage.outbox";
import * as manage from "../../app/routes/manage._index/route";

for (const backend of backends) {
  describe(`the admin-only answer on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    const tokens = {} as Record<"coordinator" | "resident", string>;

    beforeAll(async () => {
      const here = await ensureStation(t.db);
      tokens.coordinator = (await makeAccount(t.db, here.id, ["coordinator"], "协调员小李")).token;
      tokens.resident = (await makeAccount(t.db, here.id, ["resident"], "居民老张")).token;
      await makeAccount(t.db, here.id, ["admin"], "王芳");
      await makeAccount(t.db, here.id, ["coordinator", "admin"], "陈建国");
      const closed = await makeAccount(t.db, here.id, ["admin"], "已注销管理员");
      await t.db.update(accounts).set({ closedAt: new Date() }).where(eq(accounts.id, closed.accountId));
      const elsewhere = await ensureStation(t.db, "elsewhere");
      await makeAccount(t.db, elsewhere.id, ["admin"], "别站管理员");
    });

    const open = async (handler: unknown, path: string, who: "coordinator" | "resident", locale?: "en") =>
      callSafely(handler as Handler, await getRequest(path, { token: tokens[who], locale }), {});

    it("tells a coordinator who can open it: this station's open admin accounts, by name only", async () => {
      for (const [handler, path] of [
        [station.loader, "/manage/station"],
        [outbox.loader, "/manage/outbox"],
      ] as const) {
        const result = await open(handler, path, "coordinator");
        expect(result.status, path).toBe(403);
        expect(result.body, path).toEqual({ ...refusal("zh-CN", ["admin"]), admins: expect.any(Array) });
        // In the database's name order, which differs by collation: compared as a set.
        expect([...(result.body as { admins: string[] }).admins].sort(), path).toEqual(["王芳", "陈建国"].sort());
      }
      const en = await open(station.loader, "/manage/station", "coordinator", "en");
      expect(en.body).toMatchObject({ ...refusal("en", ["admin"]) });
    });

    it("keeps a resident's refusal as it was: the role, no names", async () => {
      const result = await open(station.loader, "/manage/station", "resident");
      expect(result.status).toBe(403);
      expect(result.body).toEqual(refusal("zh-CN", ["admin"]));
      // A staff page refused to a resident names the roles, as before.
      const staffPage = await open(manage.loader, "/manage", "resident");
      expect(staffPage.status).toBe(403);
      expect(staffPage.body).toEqual(refusal("zh-CN", ["coordinator", "admin"]));
    });
  });
}
