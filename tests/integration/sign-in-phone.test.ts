// Signing in without email (ADR 21): accounts by phone, email or both; sign-in and the token by
// either under the same limits; registration that tells nobody who has an account; and the
// one-time codes staff hand over at the desk.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation, makeAccount } from "../support/fixtures";
import { callSafely } from "../support/routes-kit";
import { postRequest } from "../support/requests";
import { callApi } from "../support/api-requests";
import { authenticate, getSessionAccountId, registerResident, setPassword, startSession } from "../../models/auth";
import { requestRegistration } from "../../models/registration";
import { createDeskAccount, deskAccountView, issueSignInCode, signInWithCode, CODE_VALID_MS } from "../../models/sign-in-codes";
import { accounts, auditLog, notifications, people, signInCodes, stationRoles } from "../../models/db/schema";
import { LIMITS } from "../../models/rate-limits";
import {
  AccountExists,
  EmailTaken,
  InvalidCredentials,
  InvalidSignInCode,
  NotFound,
  PhoneTaken,
  SignInCodeNotAllowed,
  TooManyAttempts,
} from "../../models/errors";
import * as login from "../../app/routes/login";
import * as loginCode from "../../app/routes/login_.code";
import * as register from "../../app/routes/register";

let seq = 0;
const freshIp = () => `10.91.${Math.floor(++seq / 250) % 250}.${seq % 250}`;
const freshPhone = () => `13${String(process.pid % 10)}${String(Date.now() + ++seq).slice(-8)}`;
const freshEmail = (tag: string) => `${tag}-${process.pid}-${++seq}-${Date.now()}@phone.example`;
const PASSWORD = "a long enough password";

for (const backend of backends) {
  describe(`sign-in without email on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let otherStationId = 0;
    let coordinator = 0;
    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      otherStationId = (await ensureStation(t.db, "phone-other")).id;
      coordinator = (await makeAccount(t.db, stationId, ["coordinator"])).accountId;
    });
    const counts = async () => {
      const [row] = await t.db
        .select({ people: sql<number>`(select count(*)::int from people)`, accounts: sql<number>`(select count(*)::int from accounts)` })
        .from(sql`(select 1) x`);
      return row!;
    };
    const phoneAccount = async (phone = freshPhone()) => {
      const accountId = await registerResident(t.db, {
        stationId,
        fullName: "王德福",
        phone: `+86 ${phone.slice(0, 3)}-${phone.slice(3)}`,
        password: PASSWORD,
      });
      return { accountId, phone };
    };
    const newPerson = async (name = "无账号老人", station = stationId) =>
      (await t.db.insert(people).values({ stationId: station, fullName: name }).returning({ id: people.id }))[0]!.id;
    const desk = () => ({ stationId, actorAccountId: coordinator });

    describe("accounts by phone, email or both", () => {
      it("keeps a phone-only account's number normalised, with no email and the resident role", async () => {
        const { accountId, phone } = await phoneAccount();
        const [row] = await t.db.select().from(accounts).where(eq(accounts.id, accountId));
        expect(row).toMatchObject({ phone, email: null });
        const [person] = await t.db.select().from(people).where(eq(people.id, row!.personId));
        expect(person).toMatchObject({ phone, email: null });
        expect(await t.db.select().from(stationRoles).where(eq(stationRoles.accountId, accountId))).toEqual([
          { accountId, stationId, role: "resident" },
        ]);
      });

      it("refuses a second account on the same mobile number however it is written, leaving no stray person", async () => {
        const { phone } = await phoneAccount();
        const before = await counts();
        for (const variant of [phone, `0086${phone}`, `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`]) {
          await expect(registerResident(t.db, { stationId, fullName: "第二位", phone: variant, password: PASSWORD })).rejects.toBeInstanceOf(
            PhoneTaken,
          );
        }
        await expect(registerResident(t.db, { stationId, fullName: "第二位", phone, password: PASSWORD })).rejects.toMatchObject({
          code: "phone_taken",
          status: 409,
        });
        expect(await counts()).toEqual(before);
      });

      it("holds in the database: at least one of email and phone, a phone of eleven mobile digits", async () => {
        const personId = await newPerson();
        await expect(t.db.insert(accounts).values({ personId, email: null, phone: null })).rejects.toMatchObject({
          cause: { constraint: "accounts_email_or_phone" },
        });
        await expect(t.db.insert(accounts).values({ personId, phone: "0598123456" })).rejects.toMatchObject({
          cause: { constraint: "accounts_phone_mobile" },
        });
      });

      it("lets a couple share a landline in people.phone, while account phones stay unique", async () => {
        const [a, b] = await t.db
          .insert(people)
          .values([
            { stationId, fullName: "王伯伯", phone: "05981234567" },
            { stationId, fullName: "王阿姨", phone: "05981234567" },
          ])
          .returning({ id: people.id });
        const phone = freshPhone();
        await t.db.insert(accounts).values({ personId: a!.id, phone });
        await expect(t.db.insert(accounts).values({ personId: b!.id, phone })).rejects.toMatchObject({ cause: { code: "23505" } });
      });
    });

    describe("signing in by phone or email", () => {
      it("accepts the phone in any spelling and the email of one account, both giving the same account", async () => {
        const phone = freshPhone();
        const email = freshEmail("both");
        const accountId = await registerResident(t.db, { stationId, fullName: "双号", phone, email, password: PASSWORD });
        await expect(authenticate(t.db, { phone: `+86 ${phone}`, password: PASSWORD, ip: freshIp() })).resolves.toBe(accountId);
        await expect(authenticate(t.db, { email: email.toUpperCase(), password: PASSWORD, ip: freshIp() })).resolves.toBe(accountId);
        await expect(authenticate(t.db, { phone, password: "wrong", ip: freshIp() })).rejects.toBeInstanceOf(InvalidCredentials);
        await expect(authenticate(t.db, { phone: freshPhone(), password: PASSWORD, ip: freshIp() })).rejects.toBeInstanceOf(InvalidCredentials);
      });

      it("counts the phone and the email of one account as one target: 5 tries from an address in all", async () => {
        const phone = freshPhone();
        const email = freshEmail("one-target");
        const accountId = await registerResident(t.db, { stationId, fullName: "同一人", phone, email, password: PASSWORD });
        const ip = freshIp();
        for (let i = 0; i < LIMITS.signInPair.points; i++) {
          const name = i % 2 ? { phone } : { email };
          await expect(authenticate(t.db, { ...name, password: `wrong-${i}`, ip })).rejects.toBeInstanceOf(InvalidCredentials);
        }
        await expect(authenticate(t.db, { phone, password: PASSWORD, ip })).rejects.toBeInstanceOf(TooManyAttempts);
        await expect(authenticate(t.db, { email, password: PASSWORD, ip })).rejects.toBeInstanceOf(TooManyAttempts);
        // The owner elsewhere is not locked out.
        await expect(authenticate(t.db, { phone, password: PASSWORD, ip: freshIp() })).resolves.toBe(accountId);
      });

      it("slows an attacker rotating addresses on a phone, without locking its owner out of a known device", async () => {
        const { accountId, phone } = await phoneAccount();
        const home = freshIp();
        await expect(authenticate(t.db, { phone, password: PASSWORD, ip: home })).resolves.toBe(accountId);
        for (let i = 0; i < LIMITS.signInAccount.points; i++)
          await authenticate(t.db, { phone, password: `guess-${i}`, ip: freshIp() }).catch(() => undefined);
        await expect(authenticate(t.db, { phone, password: PASSWORD, ip: freshIp() })).rejects.toBeInstanceOf(TooManyAttempts);
        await expect(authenticate(t.db, { phone, password: PASSWORD, ip: home })).resolves.toBe(accountId);
      });

      it("signs in on the page with a phone in the one field, and refuses a landline there in words", async () => {
        const { accountId, phone } = await phoneAccount();
        const ok = await callSafely(
          login.action,
          await postRequest("/login", { login: `${phone.slice(0, 3)} ${phone.slice(3)}`, password: PASSWORD }),
        );
        expect(ok.status).toBe(302);
        const cookie = ok.headers.get("Set-Cookie")!;
        expect(cookie).toMatch(/hearth_session=/);
        const token = decodeURIComponent(/hearth_session=([^;]+)/.exec(cookie)![1]!);
        expect(typeof token).toBe("string");
        const wrong = await callSafely(login.action, await postRequest("/login", { login: phone, password: "not it" }));
        expect(wrong.status).toBe(401);
        const landline = await callSafely(login.action, await postRequest("/login", { login: "0598-1234567", password: PASSWORD }));
        expect(landline.status).toBe(400);
        expect(JSON.stringify(landline.body)).toContain("请填写 11 位手机号或邮箱地址。");
        expect(accountId).toBeGreaterThan(0);
      });

      it("gives an API token for {phone, password} and refuses a wrong one like an email", async () => {
        const { accountId, phone } = await phoneAccount();
        const made = await callApi("api.v1.auth.token", "POST", {
          body: { phone: `+86 ${phone}`, password: PASSWORD, name: "自助机" },
          ip: freshIp(),
        });
        expect(made.status, made.text).toBe(201);
        const me = await callApi("api.v1.me.signups", "GET", { token: made.json.token });
        expect(me.status, me.text).toBe(200);
        const wrong = await callApi("api.v1.auth.token", "POST", { body: { phone, password: "nope" }, ip: freshIp() });
        expect(wrong.status).toBe(401);
        const [row] = await t.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.phone, phone));
        expect(row!.id).toBe(accountId);
      });
    });

    describe("registration tells nobody who has an account", () => {
      it("a new phone gets its account and no mail; a taken phone the very same answer, nothing written, nobody mailed", async () => {
        const phone = freshPhone();
        const first = await requestRegistration(t.db, { stationId, fullName: "新来的", phone, password: PASSWORD, ip: freshIp() });
        expect(first).toEqual({ answer: "phone" });
        const [made] = await t.db.select().from(accounts).where(eq(accounts.phone, phone));
        expect(made).toBeDefined();
        expect(await t.db.select().from(notifications).where(eq(notifications.personId, made!.personId))).toEqual([]);
        const before = await counts();
        const mailsBefore = (await t.db.select({ n: sql<number>`count(*)::int` }).from(notifications))[0]!.n;
        const again = await requestRegistration(t.db, {
          stationId,
          fullName: "冒名者",
          phone: `0086 ${phone}`,
          password: "another password",
          ip: freshIp(),
        });
        expect(again).toEqual(first);
        expect(await counts()).toEqual(before);
        expect((await t.db.select({ n: sql<number>`count(*)::int` }).from(notifications))[0]!.n).toBe(mailsBefore);
        await expect(authenticate(t.db, { phone, password: "another password", ip: freshIp() })).rejects.toBeInstanceOf(InvalidCredentials);
        await expect(authenticate(t.db, { phone, password: PASSWORD, ip: freshIp() })).resolves.toBe(made!.id);
      });

      it("with both, the email decides; a taken phone stays the person's contact number only", async () => {
        const { phone } = await phoneAccount();
        const email = freshEmail("with-taken-phone");
        await expect(requestRegistration(t.db, { stationId, fullName: "借号", phone, email, password: PASSWORD, ip: freshIp() })).resolves.toEqual({
          answer: "email",
        });
        const [made] = await t.db.select().from(accounts).where(eq(accounts.email, email));
        expect(made).toMatchObject({ email, phone: null });
        const [person] = await t.db.select().from(people).where(eq(people.id, made!.personId));
        expect(person!.phone).toBe(phone);
      });

      it("answers the page's phone and email registrations alike for new and taken, with no session", async () => {
        const { phone } = await phoneAccount();
        const form = (p: string) => ({ fullName: "页面注册", phone: p, email: "", birthYear: "", password: PASSWORD });
        const taken = await callSafely(register.action, await postRequest("/register", form(phone)));
        const fresh = await callSafely(register.action, await postRequest("/register", form(freshPhone())));
        expect({ status: taken.status, body: taken.body, cookie: taken.headers.get("Set-Cookie") }).toEqual({
          status: fresh.status,
          body: fresh.body,
          cookie: null,
        });
        expect(fresh.status).toBe(200);
        expect(fresh.body).toMatchObject({ ok: true, answer: "phone", sentTo: null });
      });

      it(`limits registrations naming one phone to ${LIMITS.registerTarget.points} an hour, from any address`, async () => {
        const phone = freshPhone();
        for (let i = 0; i < LIMITS.registerTarget.points; i++)
          await requestRegistration(t.db, { stationId, fullName: "同号", phone, password: PASSWORD, ip: freshIp() });
        await expect(requestRegistration(t.db, { stationId, fullName: "同号", phone, password: PASSWORD, ip: freshIp() })).rejects.toBeInstanceOf(
          TooManyAttempts,
        );
      });
    });

    describe("one-time codes from the desk", () => {
      it("makes an account with no password and a code that signs in once, audited, code never stored or logged", async () => {
        const personId = await newPerson("柜台老人");
        const phone = freshPhone();
        const issued = await createDeskAccount(t.db, desk(), personId, { phone: `${phone.slice(0, 3)}-${phone.slice(3)}` });
        expect(issued.code).toMatch(/^[0-9]{8}$/);
        expect(issued.signInName).toBe(phone);
        expect(Math.abs(issued.expiresAt.getTime() - Date.now() - CODE_VALID_MS)).toBeLessThan(10_000);
        const [account] = await t.db.select().from(accounts).where(eq(accounts.personId, personId));
        expect(account).toMatchObject({ phone, email: null, passwordHash: null });
        const leaks = await t.db.execute(sql`select count(*)::int as n from sign_in_codes c where strpos(row_to_json(c)::text, ${issued.code}) > 0`);
        expect((leaks.rows[0] as { n: number }).n).toBe(0);
        const audit = await t.db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.targetType, "account"), eq(auditLog.targetId, account!.id)));
        expect(audit.map((a) => a.action)).toContain("sign_in_code.issue");
        expect(JSON.stringify(audit)).not.toContain(issued.code);
        // No password yet: a password sign-in answers like any wrong one.
        await expect(authenticate(t.db, { phone, password: PASSWORD, ip: freshIp() })).rejects.toBeInstanceOf(InvalidCredentials);
        const ip = freshIp();
        await expect(signInWithCode(t.db, { name: { phone }, code: `${issued.code.slice(0, 4)} ${issued.code.slice(4)}`, ip })).resolves.toBe(
          account!.id,
        );
        await expect(signInWithCode(t.db, { name: { phone }, code: issued.code, ip: freshIp() })).rejects.toBeInstanceOf(InvalidSignInCode);
        const [used] = await t.db.select().from(signInCodes).where(eq(signInCodes.accountId, account!.id));
        expect(used!.usedAt).toBeInstanceOf(Date);
      });

      it("refuses a wrong code, an expired code and a code for another account alike", async () => {
        const a = await createDeskAccount(t.db, desk(), await newPerson("甲"), { phone: freshPhone() });
        const b = await createDeskAccount(t.db, desk(), await newPerson("乙"), { phone: freshPhone() });
        const wrong = a.code === "00000000" ? "00000001" : "00000000";
        await expect(signInWithCode(t.db, { name: { phone: a.signInName }, code: wrong, ip: freshIp() })).rejects.toBeInstanceOf(InvalidSignInCode);
        await expect(signInWithCode(t.db, { name: { phone: a.signInName }, code: b.code, ip: freshIp() })).rejects.toBeInstanceOf(InvalidSignInCode);
        await expect(signInWithCode(t.db, { name: { phone: freshPhone() }, code: a.code, ip: freshIp() })).rejects.toBeInstanceOf(InvalidSignInCode);
        const [account] = await t.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.phone, a.signInName));
        await t.db
          .update(signInCodes)
          .set({ expiresAt: new Date(Date.now() - 1000) })
          .where(eq(signInCodes.accountId, account!.id));
        await expect(signInWithCode(t.db, { name: { phone: a.signInName }, code: a.code, ip: freshIp() })).rejects.toMatchObject({
          code: "invalid_sign_in_code",
          status: 401,
        });
      });

      it("voids the old code when a new one is issued", async () => {
        const personId = await newPerson("补码");
        const first = await createDeskAccount(t.db, desk(), personId, { email: freshEmail("desk") });
        const second = await issueSignInCode(t.db, desk(), personId);
        await expect(signInWithCode(t.db, { name: { email: first.signInName }, code: first.code, ip: freshIp() })).rejects.toBeInstanceOf(
          InvalidSignInCode,
        );
        const live = await t.db
          .select()
          .from(signInCodes)
          .where(
            and(
              eq(signInCodes.stationId, stationId),
              sql`${signInCodes.usedAt} is null and ${signInCodes.voidedAt} is null`,
              sql`account_id = (select id from accounts where person_id = ${personId})`,
            ),
          );
        expect(live).toHaveLength(1);
        await expect(signInWithCode(t.db, { name: { email: second.signInName }, code: second.code, ip: freshIp() })).resolves.toBeGreaterThan(0);
      });

      it("counts code attempts under the sign-in limits: 5 from one address, then even the right code waits", async () => {
        const issued = await createDeskAccount(t.db, desk(), await newPerson("限次"), { phone: freshPhone() });
        const ip = freshIp();
        const wrong = issued.code === "11111111" ? "22222222" : "11111111";
        for (let i = 0; i < LIMITS.signInPair.points; i++) {
          await expect(signInWithCode(t.db, { name: { phone: issued.signInName }, code: wrong, ip })).rejects.toBeInstanceOf(InvalidSignInCode);
        }
        await expect(signInWithCode(t.db, { name: { phone: issued.signInName }, code: issued.code, ip })).rejects.toBeInstanceOf(TooManyAttempts);
        // Another address (the person at home) is not locked out, and the code still works there.
        await expect(signInWithCode(t.db, { name: { phone: issued.signInName }, code: issued.code, ip: freshIp() })).resolves.toBeGreaterThan(0);
      });

      it("using a code resets: the old password stops, other sessions end, a new password is set without the old one", async () => {
        const { accountId, phone } = await phoneAccount();
        const [row] = await t.db.select({ personId: accounts.personId }).from(accounts).where(eq(accounts.id, accountId));
        const old = await startSession(t.db, accountId);
        const issued = await issueSignInCode(t.db, desk(), row!.personId);
        await expect(signInWithCode(t.db, { name: { phone }, code: issued.code, ip: freshIp() })).resolves.toBe(accountId);
        await expect(getSessionAccountId(t.db, old.token)).resolves.toBeNull();
        await expect(authenticate(t.db, { phone, password: PASSWORD, ip: freshIp() })).rejects.toBeInstanceOf(InvalidCredentials);
        const now = await startSession(t.db, accountId);
        await setPassword(t.db, { stationId, accountId, current: null, password: "my new password", ip: freshIp(), keepSessionToken: now.token });
        await expect(authenticate(t.db, { phone, password: "my new password", ip: freshIp() })).resolves.toBe(accountId);
        await expect(getSessionAccountId(t.db, now.token)).resolves.toBe(accountId);
        // With a password set, changing it needs the current one.
        await expect(
          setPassword(t.db, { stationId, accountId, current: "wrong", password: "third password", ip: freshIp(), keepSessionToken: now.token }),
        ).rejects.toBeInstanceOf(InvalidCredentials);
      });

      it("a person of another station is not found, and nothing is written", async () => {
        const foreign = await newPerson("外站", otherStationId);
        const before = await counts();
        await expect(createDeskAccount(t.db, desk(), foreign, { phone: freshPhone() })).rejects.toBeInstanceOf(NotFound);
        await expect(issueSignInCode(t.db, desk(), foreign)).rejects.toBeInstanceOf(NotFound);
        await expect(deskAccountView(t.db, stationId, foreign)).rejects.toBeInstanceOf(NotFound);
        expect(await counts()).toEqual(before);
      });

      it("refuses a second account, a taken phone or email, and codes for staff accounts", async () => {
        const personId = await newPerson("已有");
        const { signInName } = await createDeskAccount(t.db, desk(), personId, { phone: freshPhone() });
        await expect(createDeskAccount(t.db, desk(), personId, { phone: freshPhone() })).rejects.toBeInstanceOf(AccountExists);
        await expect(createDeskAccount(t.db, desk(), await newPerson("撞号"), { phone: signInName })).rejects.toBeInstanceOf(PhoneTaken);
        const someone = await makeAccount(t.db, stationId, ["resident"]);
        await expect(createDeskAccount(t.db, desk(), await newPerson("撞邮箱"), { email: someone.email })).rejects.toBeInstanceOf(EmailTaken);
        const staff = await makeAccount(t.db, stationId, ["coordinator"]);
        await expect(issueSignInCode(t.db, desk(), staff.personId)).rejects.toBeInstanceOf(SignInCodeNotAllowed);
        const elsewhere = await makeAccount(t.db, stationId, ["resident"]);
        await t.db.insert(stationRoles).values({ accountId: elsewhere.accountId, stationId: otherStationId, role: "resident" });
        await expect(issueSignInCode(t.db, desk(), elsewhere.personId)).rejects.toBeInstanceOf(SignInCodeNotAllowed);
        expect((await deskAccountView(t.db, stationId, staff.personId)).mayIssue).toBe(false);
      });

      it("signs in on /login/code and goes on to set a password", async () => {
        const issued = await createDeskAccount(t.db, desk(), await newPerson("页面登录码"), { phone: freshPhone() });
        const bad = await callSafely(loginCode.action, await postRequest("/login/code", { login: issued.signInName, code: "1234" }));
        expect(bad.status).toBe(400);
        const ok = await callSafely(loginCode.action, await postRequest("/login/code", { login: issued.signInName, code: issued.code }));
        expect(ok.status).toBe(302);
        expect(ok.headers.get("Location")).toBe("/account/password?welcome=1");
        expect(ok.headers.get("Set-Cookie")).toMatch(/hearth_session=/);
      });
    });
  });
}
