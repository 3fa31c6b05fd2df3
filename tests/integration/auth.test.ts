import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, inArray, sql } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation, makeAccount, TEST_PASSWORD } from "../support/fixtures";
import {
  authenticate,
  endAllSessions,
  endSession,
  getSessionViewer,
  getViewer,
  pruneAuthRows,
  registerResident,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  startSession,
} from "../../models/auth";
import { accounts, authSessions, people, rateLimits, stationRoles } from "../../models/db/schema";
import { LIMITS } from "../../models/rate-limits";
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
        expect(account!.passwordHash!.startsWith("$argon2id$")).toBe(true);
        expect(await verifyPassword(account!.passwordHash!, "a good long password")).toBe(true);
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
        expect(await verifyPassword(account!.passwordHash!, "first password")).toBe(true);
      });
    });

    describe("authenticate", () => {
      const register = async (tag: string) => {
        const email = freshEmail(tag);
        const accountId = await registerResident(t.db, { stationId, fullName: "登录测试", email, password: TEST_PASSWORD });
        return { email, accountId };
      };

      // The limits count per account however it is named; a name with no account counts by itself.
      const targetOf = async (email: string) => {
        const [row] = await t.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email.toLowerCase()));
        return row ? `account:${row.id}` : `email:${email.toLowerCase()}`;
      };
      const pairPoints = async (email: string, ip: string) =>
        (
          await t.db
            .select()
            .from(rateLimits)
            .where(eq(rateLimits.key, `signInPair:${await targetOf(email)}|${ip}`))
        )[0]?.points ?? 0;
      const { signInPair, signInAddress, signInAccount } = LIMITS;

      it("accepts the right password (email in any case) and refuses a wrong one, counting the attempt", async () => {
        const { email, accountId } = await register("login");
        const ip = freshIp();
        await expect(authenticate(t.db, { email: ` ${email.toUpperCase()} `, password: TEST_PASSWORD, ip })).resolves.toBe(accountId);
        const wrong = authenticate(t.db, { email, password: TEST_PASSWORD + "x", ip });
        await expect(wrong).rejects.toBeInstanceOf(InvalidCredentials);
        await expect(wrong).rejects.toMatchObject({ code: "invalid_credentials", status: 401 });
        expect(await pairPoints(email, ip)).toBe(1);
      });

      it("refuses an unknown email with the same InvalidCredentials and counts it like a wrong password", async () => {
        const email = freshEmail("nobody");
        const ip = freshIp();
        const attempt = authenticate(t.db, { email: email.toUpperCase(), password: TEST_PASSWORD, ip });
        await expect(attempt).rejects.toBeInstanceOf(InvalidCredentials);
        expect(await pairPoints(email, ip)).toBe(1);
      });

      it(`refuses one address after ${signInPair.points} attempts at one account, even with the right password, but not other addresses`, async () => {
        const { email, accountId } = await register("pair");
        const ip = freshIp();
        for (let i = 0; i < signInPair.points; i++) {
          await expect(authenticate(t.db, { email, password: `wrong-${i}`, ip })).rejects.toBeInstanceOf(InvalidCredentials);
        }
        const attempt = authenticate(t.db, { email: email.toUpperCase(), password: TEST_PASSWORD, ip });
        await expect(attempt).rejects.toBeInstanceOf(TooManyAttempts);
        await expect(attempt).rejects.toMatchObject({ code: "too_many_attempts", status: 429, params: { minutes: 15 } });
        // The owner elsewhere is not locked out by what one address did.
        await expect(authenticate(t.db, { email, password: TEST_PASSWORD, ip: freshIp() })).resolves.toBe(accountId);
      });

      it(`blocks an address after ${signInAddress.points} attempts across many emails, but not other addresses`, async () => {
        const b = await register("ip-b");
        const ip = freshIp();
        for (let i = 0; i < signInAddress.points; i++) {
          await expect(authenticate(t.db, { email: freshEmail(`spray${i}`), password: "guess", ip })).rejects.toBeInstanceOf(InvalidCredentials);
        }
        await expect(authenticate(t.db, { email: b.email, password: TEST_PASSWORD, ip })).rejects.toBeInstanceOf(TooManyAttempts);
        await expect(authenticate(t.db, { email: b.email, password: TEST_PASSWORD, ip: freshIp() })).resolves.toBe(b.accountId);
      });

      it("an attacker rotating addresses slows the account down but cannot lock its owner out of a device they signed in from", async () => {
        const { email, accountId } = await register("rotate");
        const home = freshIp();
        await expect(authenticate(t.db, { email, password: TEST_PASSWORD, ip: home })).resolves.toBe(accountId);
        // Each address stays under its own (account, address) limit; together they pass the account's.
        for (let i = 0; i < signInAccount.points + 5; i++) {
          const result = await authenticate(t.db, { email, password: `guess-${i}`, ip: freshIp() }).catch((e: unknown) => e);
          expect(result instanceof InvalidCredentials || result instanceof TooManyAttempts).toBe(true);
          if (i >= signInAccount.points) expect(result).toBeInstanceOf(TooManyAttempts);
        }
        // A new address is not even checked now — the right password included…
        await expect(authenticate(t.db, { email, password: TEST_PASSWORD, ip: freshIp() })).rejects.toBeInstanceOf(TooManyAttempts);
        // …but the owner's own address still is: the right password passes, a wrong one is just wrong.
        await expect(authenticate(t.db, { email, password: "not it", ip: home })).rejects.toBeInstanceOf(InvalidCredentials);
        await expect(authenticate(t.db, { email, password: TEST_PASSWORD, ip: home })).resolves.toBe(accountId);
      });

      it("does not count attempts whose window has passed", async () => {
        const { email, accountId } = await register("old");
        const ip = freshIp();
        for (let i = 0; i < signInPair.points; i++) await authenticate(t.db, { email, password: "nope", ip }).catch(() => undefined);
        await expect(authenticate(t.db, { email, password: TEST_PASSWORD, ip })).rejects.toBeInstanceOf(TooManyAttempts);
        await t.db
          .update(rateLimits)
          .set({ expire: new Date(Date.now() - 1000) })
          .where(eq(rateLimits.key, `signInPair:${await targetOf(email)}|${ip}`));
        await expect(authenticate(t.db, { email, password: TEST_PASSWORD, ip })).resolves.toBe(accountId);
      });

      it("clears the (account, address) counter on a successful sign-in", async () => {
        const { email, accountId } = await register("clear");
        const ip = freshIp();
        for (let i = 0; i < signInPair.points - 1; i++) {
          await expect(authenticate(t.db, { email, password: "nope", ip })).rejects.toBeInstanceOf(InvalidCredentials);
        }
        await expect(authenticate(t.db, { email, password: TEST_PASSWORD, ip })).resolves.toBe(accountId);
        expect(await pairPoints(email, ip)).toBe(0);
        // Without the reset these would make 2 * (limit - 1) >= limit and refuse the address.
        for (let i = 0; i < signInPair.points - 1; i++) {
          await expect(authenticate(t.db, { email, password: "nope", ip })).rejects.toBeInstanceOf(InvalidCredentials);
        }
        await expect(authenticate(t.db, { email, password: TEST_PASSWORD, ip })).resolves.toBe(accountId);
      });
    });

    // Pages read the viewer through the session in one statement (getSessionViewer).
    const sessionAccount = async (token: string) => (await getSessionViewer(t.db, token, stationId))?.accountId ?? null;

    describe("sessions", () => {
      it("starts a session whose token resolves to the account and is stored only as its SHA-256", async () => {
        const { accountId } = await makeAccount(t.db, stationId, ["resident"]);
        const before = Date.now();
        const { token, expiresAt } = await startSession(t.db, accountId);
        expect(token.length).toBeGreaterThanOrEqual(40);
        expect(Math.abs(expiresAt.getTime() - (before + SESSION_ABSOLUTE_MS))).toBeLessThan(10_000);
        await expect(sessionAccount(token)).resolves.toBe(accountId);
        const row = await sessionRow(token);
        expect(row).toBeDefined();
        expect(row!.id).toBe(sha256(token));
        expect(row!.id).not.toBe(token);
        const found = await t.db.execute(sql`select count(*)::int as n from auth_sessions s where strpos(row_to_json(s)::text, ${token}) > 0`);
        expect((found.rows[0] as { n: number }).n).toBe(0);
        await expect(sessionAccount(token + "x")).resolves.toBeNull();
        // Presenting the stored id as a token grants nothing either.
        await expect(sessionAccount(row!.id)).resolves.toBeNull();
        const second = await startSession(t.db, accountId);
        expect(second.token).not.toBe(token);
      });

      it("rotates: the token presented at login stops working", async () => {
        const { accountId, token: planted } = await makeAccount(t.db, stationId, ["resident"]);
        await expect(sessionAccount(planted)).resolves.toBe(accountId);
        const { token } = await startSession(t.db, accountId, planted);
        await expect(sessionAccount(planted)).resolves.toBeNull();
        await expect(sessionAccount(token)).resolves.toBe(accountId);
      });

      it("endSession revokes one session; endAllSessions revokes all of one account only", async () => {
        const a = await makeAccount(t.db, stationId, ["resident"]);
        const b = await makeAccount(t.db, stationId, ["resident"]);
        const a2 = (await startSession(t.db, a.accountId)).token;
        const a3 = (await startSession(t.db, a.accountId)).token;
        await endSession(t.db, a3);
        await expect(sessionAccount(a3)).resolves.toBeNull();
        expect((await sessionRow(a3))!.revokedAt).toBeInstanceOf(Date);
        await expect(sessionAccount(a2)).resolves.toBe(a.accountId);
        await endAllSessions(t.db, a.accountId);
        await expect(sessionAccount(a.token)).resolves.toBeNull();
        await expect(sessionAccount(a2)).resolves.toBeNull();
        await expect(sessionAccount(b.token)).resolves.toBe(b.accountId);
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
        await expect(sessionAccount(token)).resolves.toBe(accountId);
        await expect(sessionAccount(idle.token)).resolves.toBeNull();
      });

      it("expires a session past its absolute expiry even when recently used", async () => {
        const { token } = await makeAccount(t.db, stationId, ["resident"]);
        await t.db
          .update(authSessions)
          .set({ expiresAt: new Date(Date.now() - 1000), lastSeenAt: new Date() })
          .where(eq(authSessions.id, sha256(token)));
        await expect(sessionAccount(token)).resolves.toBeNull();
      });

      it("refreshes last_seen_at only after the touch interval", async () => {
        const { accountId, token } = await makeAccount(t.db, stationId, ["resident"]);
        const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
        await t.db
          .update(authSessions)
          .set({ lastSeenAt: tenMinutesAgo })
          .where(eq(authSessions.id, sha256(token)));
        const before = Date.now();
        await expect(sessionAccount(token)).resolves.toBe(accountId);
        const touched = (await sessionRow(token))!.lastSeenAt.getTime();
        expect(touched).toBeGreaterThan(tenMinutesAgo.getTime());
        expect(touched).toBeGreaterThanOrEqual(before - 1000);

        const oneMinuteAgo = new Date(Date.now() - 60_000);
        await t.db
          .update(authSessions)
          .set({ lastSeenAt: oneMinuteAgo })
          .where(eq(authSessions.id, sha256(token)));
        await expect(sessionAccount(token)).resolves.toBe(accountId);
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
        expect(Object.keys(here!).sort()).toEqual(["accountId", "email", "name", "personId", "phone", "roles"]);
        expect((await getViewer(t.db, me.accountId, other.id))!.roles).toEqual(["admin"]);
        // The session's viewer is the same viewer, read with the session in one statement.
        await expect(getSessionViewer(t.db, me.token, stationId)).resolves.toEqual(here);
        expect((await getSessionViewer(t.db, me.token, other.id))!.roles).toEqual(["admin"]);
        const none = await getViewer(t.db, me.accountId, third.id);
        expect(none).toMatchObject({ accountId: me.accountId, roles: [] });
        await expect(getViewer(t.db, 987_654_321, stationId)).resolves.toBeNull();
      });

      it("pruneAuthRows deletes expired sessions and rate-limit counters past their window, keeping live ones", async () => {
        const a = await makeAccount(t.db, stationId, ["resident"]);
        const expired = (await startSession(t.db, a.accountId)).token;
        await t.db
          .update(authSessions)
          .set({ expiresAt: new Date(Date.now() - 60_000) })
          .where(eq(authSessions.id, sha256(expired)));
        const oldKey = `test:${freshEmail("prune-old")}`;
        const newKey = `test:${freshEmail("prune-new")}`;
        await t.db.insert(rateLimits).values([
          { key: oldKey, points: 9, expire: new Date(Date.now() - 60_000) },
          { key: newKey, points: 1, expire: new Date(Date.now() + 60_000) },
        ]);
        await pruneAuthRows(t.db);
        expect(await sessionRow(expired)).toBeUndefined();
        expect(await sessionRow(a.token)).toBeDefined();
        await expect(sessionAccount(a.token)).resolves.toBe(a.accountId);
        const left = await t.db
          .select({ key: rateLimits.key })
          .from(rateLimits)
          .where(inArray(rateLimits.key, [oldKey, newKey]));
        expect(left).toEqual([{ key: newKey }]);
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
