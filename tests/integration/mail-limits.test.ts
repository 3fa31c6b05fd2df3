// Signed-in forms that send mail are limited per account (models/rate-limits.ts `mailSelf`,
// `mailForOthers`; ADR 0012): a loop of book-cancel cannot fill a person's mailbox or the
// station's SMTP quota. Past the budget: 429 in the viewer's language (zh-CN by default) with
// the minutes to wait, nothing written, and other accounts untouched.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { categoryId, ensureStation, makeAccount } from "../support/fixtures";
import { getRequest, postRequest } from "../support/requests";
import { callSafely, seedSeries, text, type Handler } from "../support/routes-kit";
import { LIMITS, spendMailBudget } from "../../models/rate-limits";
import { createApiToken } from "../../models/api-tokens";
import { notifications, people, signups } from "../../models/db/schema";
import * as sessionPage from "../../app/routes/sessions.$id";
import * as bookFor from "../../app/routes/manage.sessions.$id_.book";
import * as apiSignups from "../../app/routes/api.v1.sessions.$id.signups";

const minutes = LIMITS.mailSelf.duration / 60;

for (const backend of backends) {
  describe(`per-account limits on mail-sending forms, on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll }, { poolSize: 4 });
    let stationId = 0;
    let sessionId = 0;
    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      const admin = await makeAccount(t.db, stationId, ["admin"]);
      ({ sessionId } = await seedSeries(t.db, {
        stationId,
        actorAccountId: admin.accountId,
        categoryId: await categoryId(t.db, stationId, "tai-chi"),
      }));
    });

    const mailRows = async () => (await t.db.select({ n: sql<number>`count(*)::int` }).from(notifications))[0]!.n;
    const activeSignup = async (personId: number) =>
      (
        await t.db
          .select({ id: signups.id })
          .from(signups)
          .where(and(eq(signups.personId, personId), eq(signups.sessionId, sessionId), sql`${signups.status} <> 'cancelled'`))
      )[0];

    const post = (token: string, form: Record<string, string>) =>
      postRequest(`/sessions/${sessionId}`, form, { token }).then((r) => callSafely(sessionPage.action as Handler, r, { id: String(sessionId) }));

    it("a resident's book-cancel loop is stopped at the budget with a clear zh-CN 429, and writes nothing more", async () => {
      const resident = await makeAccount(t.db, stationId, ["resident"]);
      const other = await makeAccount(t.db, stationId, ["resident"]);
      // The whole budget, spent on real actions that each write mail: book, cancel, book …
      for (let n = 0; n < LIMITS.mailSelf.points; n++) {
        const signup = await activeSignup(resident.personId);
        const reply = signup
          ? await post(resident.token, { intent: "cancel", signupId: String(signup.id) })
          : await post(resident.token, { intent: "signup", partySize: "1" });
        expect(reply.status, `action ${n + 1}: ${JSON.stringify(reply.body)}`).toBe(302);
      }
      const before = { mail: await mailRows(), signup: await activeSignup(resident.personId) };
      expect(before.signup).toBeUndefined(); // an even budget: the loop ended on a cancel

      const refused = await post(resident.token, { intent: "signup", partySize: "1" });
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ ok: false, formError: text("zh-CN", "error.too_many_mails", { minutes }) });
      expect(await mailRows()).toBe(before.mail);
      expect(await activeSignup(resident.personId)).toBeUndefined();

      // In English for a visitor who chose it.
      const english = await postRequest(`/sessions/${sessionId}`, { intent: "signup", partySize: "1" }, { token: resident.token, locale: "en" });
      const inEnglish = await callSafely(sessionPage.action as Handler, english, { id: String(sessionId) });
      expect(inEnglish.body).toMatchObject({ formError: text("en", "error.too_many_mails", { minutes }) });

      // Per account, not per address (every request here comes from 127.0.0.1): another resident books.
      expect((await post(other.token, { intent: "signup", partySize: "1" })).status).toBe(302);
    });

    it("the API answers the same refusal as JSON with Retry-After", async () => {
      const resident = await makeAccount(t.db, stationId, ["resident"]);
      const { token } = await createApiToken(t.db, { stationId, accountId: resident.accountId }, "mail limit");
      for (let n = 0; n < LIMITS.mailSelf.points; n++) await spendMailBudget(t.db, resident.accountId, false);
      const request = new Request(`http://localhost:3000/api/v1/sessions/${sessionId}/signups`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: "{}",
      });
      const reply = await callSafely(apiSignups.action as Handler, request, { id: String(sessionId) });
      expect(reply.status).toBe(429);
      expect(JSON.parse(String(reply.body))).toEqual({
        error: { code: "too_many_mails", message: text("zh-CN", "error.too_many_mails", { minutes }), params: { minutes } },
      });
      expect(Number(reply.headers.get("Retry-After"))).toBe(minutes * 60);
      expect(await activeSignup(resident.personId)).toBeUndefined();
    });

    it("staff booking for others have their own, larger budget, and are stopped past it", async () => {
      const coordinator = await makeAccount(t.db, stationId, ["coordinator"]);
      const [walkIn] = await t.db.insert(people).values({ stationId, fullName: "王德福" }).returning({ id: people.id });
      const book = async () => {
        const request = await postRequest(
          `/manage/sessions/${sessionId}/book`,
          { intent: "book", personId: String(walkIn!.id), partySize: "1" },
          { token: coordinator.token },
        );
        return callSafely(bookFor.action as Handler, request, { id: String(sessionId) });
      };
      // The coordinator's own budget (for themself) spent does not stop booking for others.
      for (let n = 0; n < LIMITS.mailSelf.points; n++) await spendMailBudget(t.db, coordinator.accountId, false);
      expect((await book()).status).toBe(200);
      // The budget for others, spent (one is spent above): the next booking is refused.
      for (let n = 1; n < LIMITS.mailForOthers.points; n++) await spendMailBudget(t.db, coordinator.accountId, true);
      const mail = await mailRows();
      const refused = await book();
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ formError: text("zh-CN", "error.too_many_mails", { minutes: LIMITS.mailForOthers.duration / 60 }) });
      expect(await mailRows()).toBe(mail);
    });

    it("the session page still loads for a refused resident", async () => {
      const resident = await makeAccount(t.db, stationId, ["resident"]);
      for (let n = 0; n < LIMITS.mailSelf.points; n++) await spendMailBudget(t.db, resident.accountId, false);
      const page = await callSafely(sessionPage.loader as Handler, await getRequest(`/sessions/${sessionId}`, { token: resident.token }), {
        id: String(sessionId),
      });
      expect(page.status).toBe(200);
    });
  });
}
