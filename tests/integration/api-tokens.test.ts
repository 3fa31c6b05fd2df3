// API tokens: made by POST /api/v1/auth/token or on the account page, stored hashed, listed
// without secrets, revocable, rate-limited like sign-in.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation, makeAccount, TEST_PASSWORD } from "../support/fixtures";
import { call, getRequest, postRequest } from "../support/requests";
import { countApiRows, makeApiUser } from "../support/api-fixtures";
import { callApi, expectError } from "../support/api-requests";
import { createApiToken, listApiTokens, MAX_TOKENS_PER_ACCOUNT } from "../../models/api-tokens";
import { apiTokens, auditLog } from "../../models/db/schema";
import { startSession } from "../../models/auth";
import * as account from "../../app/routes/account";

const TOKEN = /^hth_[A-Za-z0-9_-]{43}$/;

for (const backend of backends) {
  describe(`API tokens on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    const rowsOf = (accountId: number) => t.db.select().from(apiTokens).where(eq(apiTokens.accountId, accountId));
    const me = (token: string) => callApi("api.v1.me.signups", "GET", { token });

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
    });

    it("gives a token for email and password, stores only its SHA-256, and the token works", async () => {
      const user = await makeAccount(t.db, stationId, ["resident"]);
      const result = await callApi("api.v1.auth.token", "POST", {
        body: { email: user.email.toUpperCase(), password: TEST_PASSWORD, name: "驿站自助机" },
      });
      expect(result.status, result.text).toBe(201);
      expect(result.json).toEqual({ token: expect.stringMatching(TOKEN), id: expect.any(Number), name: "驿站自助机" });
      expect(result.headers.get("Cache-Control")).toBe("no-store");
      const token: string = result.json.token;

      const rows = await rowsOf(user.accountId);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.tokenHash).toBe(crypto.createHash("sha256").update(token).digest("hex"));
      // The raw token is in no column, nor is its random part.
      expect(JSON.stringify(rows)).not.toContain(token.slice(4));
      const audit = await t.db.select().from(auditLog).where(eq(auditLog.targetId, rows[0]!.id));
      expect(audit.filter((a) => a.action === "api_token.create")).toHaveLength(1);

      expect(rows[0]!.lastUsedAt).toBeNull();
      expect((await me(token)).status).toBe(200);
      const [used] = await rowsOf(user.accountId);
      expect(used!.lastUsedAt).toBeInstanceOf(Date);
    });

    it("refuses a wrong password with 401 and locks the email after 5 failures with 429", async () => {
      const user = await makeAccount(t.db, stationId, ["resident"]);
      const attempt = (password: string) => callApi("api.v1.auth.token", "POST", { body: { email: user.email, password }, ip: "10.0.0.7" });
      for (let i = 0; i < 5; i++) expectError(await attempt("wrong password"), 401, "invalid_credentials");
      const before = await countApiRows(t.db);
      // Even the right password now waits for the window to pass.
      const locked = await attempt(TEST_PASSWORD);
      const error = expectError(locked, 429, "too_many_attempts");
      expect(error.message).toBe("尝试次数太多，请 15 分钟后再试。");
      expect(locked.headers.get("Retry-After")).toBe("900");
      expect(await countApiRows(t.db)).toEqual(before);
    });

    it("an unknown email gets the same 401 as a wrong password", async () => {
      const result = await callApi("api.v1.auth.token", "POST", { body: { email: "nobody@test.example", password: "whatever1" } });
      expect(expectError(result, 401, "invalid_credentials").message).toBe("手机号/邮箱或密码不正确。");
    });

    it("a revoked token is a 401, on every route", async () => {
      const user = await makeApiUser(t.db, stationId, ["coordinator"]);
      expect((await me(user.token)).status).toBe(200);
      const [row] = await rowsOf(user.accountId);
      const page = await call(
        account.action as never,
        await postRequest("/account", { intent: "revoke-token", tokenId: String(row!.id) }, { token: await cookieOf(user.accountId) }),
      );
      expect(page.status).toBe(200);
      expect(page.body).toEqual({ ok: true, revoked: "test" });
      expectError(await me(user.token), 401, "invalid_token");
      expectError(await callApi("api.v1.sessions", "GET", { token: user.token }), 401, "invalid_token");
      expectError(await callApi("api.v1.people", "GET", { token: user.token, query: "q=a" }), 401, "invalid_token");
      expect(await listApiTokens(t.db, user.accountId)).toEqual([]);
    });

    it("lists tokens by name and dates only, never the hash or the token", async () => {
      const user = await makeAccount(t.db, stationId, ["resident"]);
      const made = await createApiToken(t.db, { stationId, accountId: user.accountId }, "微信小程序");
      const listed = await listApiTokens(t.db, user.accountId);
      expect(listed).toEqual([{ id: made.id, name: "微信小程序", createdAt: expect.any(Date), lastUsedAt: null }]);
      const page = await call(account.loader as never, await getRequest("/account", { token: user.token }));
      const body = page.body as { tokens: unknown[] };
      expect(body.tokens).toEqual([{ id: made.id, name: "微信小程序", created: expect.any(String), lastUsed: null }]);
      const hash = (await rowsOf(user.accountId))[0]!.tokenHash;
      expect(JSON.stringify(page.body)).not.toContain(hash);
      expect(JSON.stringify(page.body)).not.toContain(made.token);
    });

    describe("the account page", () => {
      it("creates a token, shows it once, and lists it afterwards without it", async () => {
        const user = await makeAccount(t.db, stationId, ["resident"]);
        const created = await call(
          account.action as never,
          await postRequest("/account", { intent: "create-token", name: " 驿站自助机 " }, { token: user.token }),
        );
        expect(created.status).toBe(200);
        expect(created.headers.get("Cache-Control")).toBe("no-store");
        const { token, name } = (created.body as { created: { token: string; name: string } }).created;
        expect(token).toMatch(TOKEN);
        expect(name).toBe("驿站自助机");
        expect((await me(token)).status).toBe(200);
        const page = await call(account.loader as never, await getRequest("/account", { token: user.token }));
        expect(JSON.stringify(page.body)).not.toContain(token);
        expect((page.body as { tokens: { name: string }[] }).tokens.map((x) => x.name)).toEqual(["驿站自助机"]);
      });

      it("refuses an empty form, an unknown intent and a bad name with 400, writing nothing", async () => {
        const user = await makeAccount(t.db, stationId, ["resident"]);
        // A form of the page with a bad field says "check the fields"; an intent that is none of
        // the page's says it was not recognised.
        const unknown = "无法识别这个操作。请刷新页面后再试一次。";
        const checkFields = "请检查下面标出的内容。";
        const forms: [Record<string, string>, string][] = [
          [{}, unknown],
          [{ intent: "delete-account" }, unknown],
          [{ intent: "create-token", name: "" }, checkFields],
          [{ intent: "create-token", name: "长".repeat(61) }, checkFields],
          [{ intent: "revoke-token", tokenId: "abc" }, checkFields],
        ];
        for (const [form, formError] of forms) {
          const before = await countApiRows(t.db);
          const result = await call(account.action as never, await postRequest("/account", form, { token: user.token }));
          expect(result.status, JSON.stringify(form)).toBe(400);
          expect(result.body).toMatchObject({ ok: false, formError });
          expect(await countApiRows(t.db)).toEqual(before);
        }
        // Still signed in: the empty form did not sign anyone out.
        expect((await call(account.loader as never, await getRequest("/account", { token: user.token }))).status).toBe(200);
      });

      it("cannot revoke someone else's token (404), which keeps working", async () => {
        const owner = await makeApiUser(t.db, stationId, ["resident"]);
        const intruder = await makeAccount(t.db, stationId, ["resident"]);
        const [row] = await rowsOf(owner.accountId);
        const before = await countApiRows(t.db);
        const result = await call(
          account.action as never,
          await postRequest("/account", { intent: "revoke-token", tokenId: String(row!.id) }, { token: intruder.token }),
        );
        expect(result.status).toBe(404);
        expect(await countApiRows(t.db)).toEqual(before);
        expect((await me(owner.token)).status).toBe(200);
      });

      it("signing out everywhere revokes the API tokens too", async () => {
        const user = await makeApiUser(t.db, stationId, ["resident"]);
        const result = await call(
          account.action as never,
          await postRequest("/account", { intent: "sign-out-everywhere" }, { token: await cookieOf(user.accountId) }),
        );
        expect(result.status).toBe(302);
        expectError(await me(user.token), 401, "invalid_token");
      });
    });

    it(`stops at ${MAX_TOKENS_PER_ACCOUNT} live tokens per account (409)`, async () => {
      const user = await makeAccount(t.db, stationId, ["resident"]);
      for (let i = 0; i < MAX_TOKENS_PER_ACCOUNT; i++) await createApiToken(t.db, { stationId, accountId: user.accountId }, `t${i}`);
      const before = await countApiRows(t.db);
      const result = await callApi("api.v1.auth.token", "POST", { body: { email: user.email, password: TEST_PASSWORD } });
      expectError(result, 409, "api_token_limit");
      expect(await countApiRows(t.db)).toEqual(before);
    });

    it("names the scheme in WWW-Authenticate on a 401", async () => {
      const none = await callApi("api.v1.me.signups", "GET");
      expect(none.headers.get("WWW-Authenticate")).toBe('Bearer realm="hearth"');
      const bad = await callApi("api.v1.me.signups", "GET", { token: "hth_nope" });
      expect(bad.headers.get("WWW-Authenticate")).toBe('Bearer realm="hearth", error="invalid_token"');
    });

    /** A login cookie for an account (the account page is a page, not the API). */
    const cookieOf = async (accountId: number) => (await startSession(t.db, accountId)).token;
  });
}
