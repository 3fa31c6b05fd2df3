import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, inArray, sql } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation, makeAccount, TEST_PASSWORD } from "../support/fixtures";
import {
  authenticate,
  endAllSessions,
  endSession,
  getSessionAccountId,
  getViewer,
  LOGIN_WINDOW_MS,
  MAX_FAILURES_PER_ACCOUNT,
  MAX_FAILURES_PER_IP,
  pruneAuthRows,
  registerResident,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  startSession,
} from "../../models/auth";
import { accounts, authSessions, loginFailures, people, stationRoles } from "../../models/db/schema";
import { EmailTaken, InvalidCredentials, TooManyAttempts } from "../../models/errors";
import { verifyPassword } from "../../models/passwords";

const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");
let seq = 0;
/** A fresh IP per test, so the per-IP counter of one test never leaks into another. */
const freshIp = () => `10.${process.pid % 250}.${Math.floor(++seq / 250)}.${seq % 250}`;
const freshEmail = (tag: string) => `${tag}-${process.pid}-${++seq}-${Date.now()}@test.example`;

for (const backend of backends) {
  describe(`auth on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
    });

    const countPeople = async () => (await t.db.select({ n: sql<number>`count(*)::int` }).from(people))[0]!.n;
    const failuresFor = (email: string) => t.db.select().from(loginFailures).where(eq(loginFailures.email, email));
    const sessionRow = async (token: string) =>
      (
        await t.db
          .select()
          .from(authSessions)
          .where(eq(authSessions.id, sha256(token)))
      )[0];

    describe("registration", () => {
      it("creates the person, the account and the resident role together", async () => {
        const email = freshEmail("Reg");
        const before = await countPeople();
        const accountId = await registerResident(t.db, {
          stationId,
          fullName: "  王小明 ",
          email: `  ${email.toUpperCase()} `,
          password: "a good long password",
          phone: "13800000000",
          birthYear: 1950,
        });
        expect(await countPeople()).toBe(before + 1);
        const [account] = await t.db.select().from(accounts).where(eq(accounts.id, accountId));
        expect(account!.email).toBe(email.toLowerCase());
        expect(account!.passwordHash.startsWith("$argon2id$")).toBe(true);
        expect(await verifyPassword(account!.passwordHash, "a good long password")).toBe(true);
        const [person] = await t.db.select().from(people).where(eq(people.id, account!.personId));
        expect(person).toMatchObject({ stationId, fullName: "王小明", email: email.toLowerCase(), phone: "13800000000", birthYear: 1950 });
        const roles = await t.db.select().from(stationRoles).where(eq(stationRoles.accountId, accountId));
        expect(roles).toEqual([{ accountId, stationId, role: "resident" }]);
      });

      it("refuses a taken email (any case, any spaces) with EmailTaken and leaves no stray person", async () => {
        const email = freshEmail("dup");
        await registerResident(t.db, { stationId, fullName: "第一位", email, password: "first password" });
        const before = await countPeople();
        for (const variant of [email, email.toUpperCase(), `  ${email} `, ` ${email.replace(/^d/, "D")}\t`]) {
          const attempt = registerResident(t.db, { stationId, fullName: "第二位", email: variant, password: "second password" });
          await expect(attempt).rejects.toBeInstanceOf(EmailTaken);
          await expect(attempt).rejects.toMatchObject({ code: "email_taken", status: 409 });
        }
        // The person row is inserted before the account: only a rolled-back transaction leaves none.
        expect(await countPeople()).toBe(before);
        expect(await t.db.select().from(people).where(eq(people.fullName, "第二位"))).toEqual([]);
        const [account] = await t.db.select().from(accounts).where(eq(accounts.email, email));
        expect(await verifyPassword(account!.passwordHash, "first password")).toBe(true);
      });
    });

    describe("authenticate", () => {
      const register = async (tag: string) => {
        const email = freshEmail(tag);
        const accountId = await registerResident(t.db, { stationId, fullName: "登录测试", email, password: TEST_PASSWORD });
        return { email, accountId };
      };

      it("accepts the right password (email in any case) and refuses a wrong one, recording the failure", async () => {
        const { email, accountId } = await register("login");
        const ip = freshIp();
        await expect(authenticate(t.db, { email: ` ${email.toUpperCase()} `, password: TEST_PASSWORD, ip })).resolves.toBe(accountId);
        const wrong = authenticate(t.db, { email, password: TEST_PASSWORD + "x", ip });
        await expect(wrong).rejects.toBeInstanceOf(InvalidCredentials);
        await expect(wrong).rejects.toMatchObject({ code: "invalid_credentials", status: 401 });
        const rows = await failuresFor(email);
        expect(rows).toHaveLength(1);
        expect(rows[0]!.ip).toBe(ip);
      });

      it("refuses an unknown email with the same InvalidCredentials and records a failure row", async () => {
        const email = freshEmail("nobody");
        const ip = freshIp();
        const attempt = authenticate(t.db, { email: email.toUpperCase(), password: TEST_PASSWORD, ip });
        await expect(attempt).rejects.toBeInstanceOf(InvalidCredentials);
        const rows = await failuresFor(email);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ email, ip });
      });

      it(`locks an account after ${MAX_FAILURES_PER_ACCOUNT} failures, even for the right password and from another IP`, async () => {
        const { email } = await register("lock");
        for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
          // Every one of these is a plain wrong-password answer: the limit is not reached early.
          await expect(authenticate(t.db, { email, password: `wrong-${i}`, ip: freshIp() })).rejects.toBeInstanceOf(InvalidCredentials);
        }
        expect(await failuresFor(email)).toHaveLength(MAX_FAILURES_PER_ACCOUNT);
        const attempt = authenticate(t.db, { email, password: TEST_PASSWORD, ip: freshIp() });
        await expect(attempt).rejects.toBeInstanceOf(TooManyAttempts);
        await expect(attempt).rejects.toMatchObject({ code: "too_many_attempts", status: 429, params: { minutes: 15 } });
        // Differently cased, it is still the same account.
        await expect(authenticate(t.db, { email: email.toUpperCase(), password: TEST_PASSWORD, ip: freshIp() })).rejects.toBeInstanceOf(
          TooManyAttempts,
        );
      });

      it(`blocks an IP after ${MAX_FAILURES_PER_IP} failures across many emails, but not other IPs`, async () => {
        const a = await register("ip-a");
        const b = await register("ip-b");
        const ip = freshIp();
        const other = freshIp();
        // Spread over many emails so that no single account reaches its own limit.
        for (let i = 0; i < MAX_FAILURES_PER_IP - 1; i++) {
          await expect(authenticate(t.db, { email: freshEmail(`spray${i}`), password: "guess", ip })).rejects.toBeInstanceOf(InvalidCredentials);
        }
        // One below the limit the IP may still sign in (and that success clears nobody else's failures).
        await expect(authenticate(t.db, { email: a.email, password: TEST_PASSWORD, ip })).resolves.toBe(a.accountId);
        await expect(authenticate(t.db, { email: freshEmail("spray-last"), password: "guess", ip })).rejects.toBeInstanceOf(InvalidCredentials);
        const byIp = await t.db
          .select({ n: sql<number>`count(*)::int` })
          .from(loginFailures)
          .where(eq(loginFailures.ip, ip));
        expect(byIp[0]!.n).toBe(MAX_FAILURES_PER_IP);
        await expect(authenticate(t.db, { email: b.email, password: TEST_PASSWORD, ip })).rejects.toBeInstanceOf(TooManyAttempts);
        await expect(authenticate(t.db, { email: freshEmail("yet-another"), password: "guess", ip })).rejects.toBeInstanceOf(TooManyAttempts);
        await expect(authenticate(t.db, { email: b.email, password: TEST_PASSWORD, ip: other })).resolves.toBe(b.accountId);
      });

      it("does not count failures older than the window, but does count those inside it", async () => {
        const old = await register("old");
        const recent = await register("recent");
        const ip = freshIp();
        const oldIp = freshIp();
        const longAgo = new Date(Date.now() - LOGIN_WINDOW_MS - 60_000);
        const justNow = new Date(Date.now() - LOGIN_WINDOW_MS + 60_000);
        await t.db
          .insert(loginFailures)
          .values([
            ...Array.from({ length: MAX_FAILURES_PER_ACCOUNT + 3 }, () => ({ email: old.email, ip, at: longAgo })),
            ...Array.from({ length: MAX_FAILURES_PER_IP + 3 }, (_, i) => ({ email: `x${i}@old.example`, ip: oldIp, at: longAgo })),
            ...Array.from({ length: MAX_FAILURES_PER_ACCOUNT }, () => ({ email: recent.email, ip, at: justNow })),
          ]);
        await expect(authenticate(t.db, { email: old.email, password: TEST_PASSWORD, ip })).resolves.toBe(old.accountId);
        await expect(authenticate(t.db, { email: old.email, password: TEST_PASSWORD, ip: oldIp })).resolves.toBe(old.accountId);
        await expect(authenticate(t.db, { email: recent.email, password: TEST_PASSWORD, ip: freshIp() })).rejects.toBeInstanceOf(TooManyAttempts);
      });

      it("clears the account's failures on a successful login", async () => {
        const { email, accountId } = await register("clear");
        for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT - 1; i++) {
          await expect(authenticate(t.db, { email, password: "nope", ip: freshIp() })).rejects.toBeInstanceOf(InvalidCredentials);
        }
        await expect(authenticate(t.db, { email, password: TEST_PASSWORD, ip: freshIp() })).resolves.toBe(accountId);
        expect(await failuresFor(email)).toHaveLength(0);
        // Without the reset these would make 2 * (limit - 1) >= limit and lock the account.
        for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT - 1; i++) {
          await expect(authenticate(t.db, { email, password: "nope", ip: freshIp() })).rejects.toBeInstanceOf(InvalidCredentials);
        }
        await expect(authenticate(t.db, { email, password: TEST_PASSWORD, ip: freshIp() })).resolves.toBe(accountId);
      });
    });

    describe("sessions", () => {
      it("starts a session whose token resolves to the account and is stored only as its SHA-256", async () => {
        const { accountId } = await makeAccount(t.db, stationId, ["resident"]);
        const before = Date.now();
        const { token, expiresAt } = await startSession(t.db, accountId);
        expect(token.length).toBeGreaterThanOrEqual(40);
        expect(Math.abs(expiresAt.getTime() - (before + SESSION_ABSOLUTE_MS))).toBeLessThan(10_000);
        await expect(getSessionAccountId(t.db, token)).resolves.toBe(accountId);
        const row = await sessionRow(token);
        expect(row).toBeDefined();
        expect(row!.id).toBe(sha256(token));
        expect(row!.id).not.toBe(token);
        const found = await t.db.execute(sql`select count(*)::int as n from auth_sessions s where strpos(row_to_json(s)::text, ${token}) > 0`);
        expect((found.rows[0] as { n: number }).n).toBe(0);
        await expect(getSessionAccountId(t.db, token + "x")).resolves.toBeNull();
        // Presenting the stored id as a token grants nothing either.
        await expect(getSessionAccountId(t.db, row!.id)).resolves.toBeNull();
        const second = await startSession(t.db, accountId);
        expect(second.token).not.toBe(token);
      });

      it("rotates: the token presented at login stops working", async () => {
        const { accountId, token: planted } = await makeAccount(t.db, stationId, ["resident"]);
        await expect(getSessionAccountId(t.db, planted)).resolves.toBe(accountId);
        const { token } = await startSession(t.db, accountId, planted);
        await expect(getSessionAccountId(t.db, planted)).resolves.toBeNull();
        await expect(getSessionAccountId(t.db, token)).resolves.toBe(accountId);
      });

      it("endSession revokes one session; endAllSessions revokes all of one account only", async () => {
        const a = await makeAccount(t.db, stationId, ["resident"]);
        const b = await makeAccount(t.db, stationId, ["resident"]);
        const a2 = (await startSession(t.db, a.accountId)).token;
        const a3 = (await startSession(t.db, a.accountId)).token;
        await endSession(t.db, a3);
        await expect(getSessionAccountId(t.db, a3)).resolves.toBeNull();
        expect((await sessionRow(a3))!.revokedAt).toBeInstanceOf(Date);
        await expect(getSessionAccountId(t.db, a2)).resolves.toBe(a.accountId);
        await endAllSessions(t.db, a.accountId);
        await expect(getSessionAccountId(t.db, a.token)).resolves.toBeNull();
        await expect(getSessionAccountId(t.db, a2)).resolves.toBeNull();
        await expect(getSessionAccountId(t.db, b.token)).resolves.toBe(b.accountId);
        expect((await sessionRow(b.token))!.revokedAt).toBeNull();
      });

      it("expires a session idle for longer than the idle limit", async () => {
        const { accountId, token } = await makeAccount(t.db, stationId, ["resident"]);
        const idle = await makeAccount(t.db, stationId, ["resident"]);
        await t.db
          .update(authSessions)
          .set({ lastSeenAt: new Date(Date.now() - SESSION_IDLE_MS + 60_000) })
          .where(eq(authSessions.id, sha256(token)));
        await t.db
          .update(authSessions)
          .set({ lastSeenAt: new Date(Date.now() - SESSION_IDLE_MS - 60_000) })
          .where(eq(authSessions.id, sha256(idle.token)));
        await expect(getSessionAccountId(t.db, token)).resolves.toBe(accountId);
        await expect(getSessionAccountId(t.db, idle.token)).resolves.toBeNull();
      });

      it("expires a session past its absolute expiry even when recently used", async () => {
        const { token } = await makeAccount(t.db, stationId, ["resident"]);
        await t.db
          .update(authSessions)
          .set({ expiresAt: new Date(Date.now() - 1000), lastSeenAt: new Date() })
          .where(eq(authSessions.id, sha256(token)));
        await expect(getSessionAccountId(t.db, token)).resolves.toBeNull();
      });

      it("refreshes last_seen_at only after the touch interval", async () => {
        const { accountId, token } = await makeAccount(t.db, stationId, ["resident"]);
        const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
        await t.db
          .update(authSessions)
          .set({ lastSeenAt: tenMinutesAgo })
          .where(eq(authSessions.id, sha256(token)));
        const before = Date.now();
        await expect(getSessionAccountId(t.db, token)).resolves.toBe(accountId);
        const touched = (await sessionRow(token))!.lastSeenAt.getTime();
        expect(touched).toBeGreaterThan(tenMinutesAgo.getTime());
        expect(touched).toBeGreaterThanOrEqual(before - 1000);

        const oneMinuteAgo = new Date(Date.now() - 60_000);
        await t.db
          .update(authSessions)
          .set({ lastSeenAt: oneMinuteAgo })
          .where(eq(authSessions.id, sha256(token)));
        await expect(getSessionAccountId(t.db, token)).resolves.toBe(accountId);
        expect((await sessionRow(token))!.lastSeenAt.getTime()).toBe(oneMinuteAgo.getTime());
      });
    });

    describe("viewer and housekeeping", () => {
      it("getViewer returns the roles in the given station only", async () => {
        const other = await ensureStation(t.db, "auth-other-station");
        const third = await ensureStation(t.db, "auth-third-station");
        const me = await makeAccount(t.db, stationId, ["volunteer", "coordinator"], "李护士");
        await t.db.insert(stationRoles).values({ accountId: me.accountId, stationId: other.id, role: "admin" });
        const here = await getViewer(t.db, me.accountId, stationId);
        expect(here).not.toBeNull();
        expect(here!.roles.slice().sort()).toEqual(["coordinator", "volunteer"]);
        expect(here).toMatchObject({ accountId: me.accountId, personId: me.personId, name: "李护士", email: me.email });
        expect(Object.keys(here!).sort()).toEqual(["accountId", "email", "name", "personId", "roles"]);
        expect((await getViewer(t.db, me.accountId, other.id))!.roles).toEqual(["admin"]);
        const none = await getViewer(t.db, me.accountId, third.id);
        expect(none).toMatchObject({ accountId: me.accountId, roles: [] });
        await expect(getViewer(t.db, 987_654_321, stationId)).resolves.toBeNull();
      });

      it("pruneAuthRows deletes expired sessions and failures older than the window, keeping live ones", async () => {
        const a = await makeAccount(t.db, stationId, ["resident"]);
        const expired = (await startSession(t.db, a.accountId)).token;
        await t.db
          .update(authSessions)
          .set({ expiresAt: new Date(Date.now() - 60_000) })
          .where(eq(authSessions.id, sha256(expired)));
        const oldEmail = freshEmail("prune-old");
        const newEmail = freshEmail("prune-new");
        await t.db.insert(loginFailures).values([
          { email: oldEmail, ip: "192.0.2.1", at: new Date(Date.now() - LOGIN_WINDOW_MS - 60_000) },
          { email: oldEmail, ip: "192.0.2.1", at: new Date(Date.now() - 24 * 3600_000) },
          { email: newEmail, ip: "192.0.2.1", at: new Date(Date.now() - 60_000) },
        ]);
        await pruneAuthRows(t.db);
        expect(await sessionRow(expired)).toBeUndefined();
        expect(await sessionRow(a.token)).toBeDefined();
        await expect(getSessionAccountId(t.db, a.token)).resolves.toBe(a.accountId);
        expect(await failuresFor(oldEmail)).toHaveLength(0);
        expect(await failuresFor(newEmail)).toHaveLength(1);
        const stale = await t.db
          .select({ n: sql<number>`count(*)::int` })
          .from(loginFailures)
          .where(sql`${loginFailures.at} < ${new Date(Date.now() - LOGIN_WINDOW_MS)}`);
        expect(stale[0]!.n).toBe(0);
        const leftExpired = await t.db
          .select({ n: sql<number>`count(*)::int` })
          .from(authSessions)
          .where(sql`${authSessions.expiresAt} < now()`);
        expect(leftExpired[0]!.n).toBe(0);
        expect(
          await t.db
            .select()
            .from(accounts)
            .where(inArray(accounts.id, [a.accountId])),
        ).toHaveLength(1);
      });
    });
  });
}
