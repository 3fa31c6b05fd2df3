import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, useBackend } from "../support/db";
import { ensureStation, makeAccount } from "../support/fixtures";
import { call, getRequest, postRequest } from "../support/requests";
import { countLiveSessions, getSessionAccountId, startSession } from "../../models/auth";
import * as account from "../../app/routes/account";

for (const backend of backends) {
  describe(`account page on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });

    it("shows the account and its devices, and signs every device out", async () => {
      const station = await ensureStation(t.db);
      const me = await makeAccount(t.db, station.id, ["resident", "volunteer"], "林秀珍");
      const other = await makeAccount(t.db, station.id, ["resident"]);
      const phone = (await startSession(t.db, me.accountId)).token;

      const page = await call(account.loader as never, await getRequest("/account", { token: me.token }));
      expect(page.body).toEqual({
        name: "林秀珍",
        email: me.email,
        // Signs in by email only; a password is set (ADR 21).
        phone: null,
        hasPassword: true,
        roles: ["居民", "志愿者"],
        devices: 2,
        tokens: [],
        feedSince: null,
        publicFeeds: expect.any(Array),
        // Every mail kind is on by default, in the station's language.
        // A volunteer is offered the shift mails' box too.
        mail: {
          locale: "zh-CN",
          groups: ["confirmations", "waitlist", "reminders", "dayOf", "changes", "staffCancel", "shifts"],
          receiving: ["confirmations", "waitlist", "reminders", "dayOf", "changes", "staffCancel", "shifts"],
          consentWithdrawn: false,
        },
      });
      // A resident is not: they are never put on a shift.
      const residentPage = await call(account.loader as never, await getRequest("/account", { token: other.token }));
      expect((residentPage.body as { mail: unknown }).mail).toEqual({
        locale: "zh-CN",
        groups: ["confirmations", "waitlist", "reminders", "dayOf", "changes", "staffCancel"],
        receiving: ["confirmations", "waitlist", "reminders", "dayOf", "changes", "staffCancel"],
        consentWithdrawn: false,
      });
      const { publicFeeds } = page.body as { publicFeeds: { url: string; label: string }[] };
      expect(publicFeeds[0]).toEqual({ url: "http://localhost:3000/feeds/calendar.ics", label: "全部活动" });
      expect(publicFeeds).toContainEqual({ url: "http://localhost:3000/feeds/tai-chi.ics", label: "太极拳" });

      const result = await call(account.action as never, await postRequest("/account", { intent: "sign-out-everywhere" }, { token: me.token }));
      expect(result.status).toBe(302);
      expect(result.headers.get("Location")).toBe("/login");
      expect(result.headers.get("Set-Cookie")).toMatch(/hearth_session=;.*Max-Age=0/);
      expect(await getSessionAccountId(t.db, me.token)).toBeNull();
      expect(await getSessionAccountId(t.db, phone)).toBeNull();
      expect(await countLiveSessions(t.db, me.accountId)).toBe(0);
      // Someone else's sessions are untouched.
      expect(await getSessionAccountId(t.db, other.token)).toBe(other.accountId);
    });
  });
}
