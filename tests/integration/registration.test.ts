import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, inArray, sql } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation, makeAccount } from "../support/fixtures";
import { requestRegistration } from "../../models/registration";
import { authenticate } from "../../models/auth";
import { accounts, notifications, people } from "../../models/db/schema";
import { TooManyAttempts } from "../../models/errors";
import { LIMITS } from "../../models/rate-limits";
import { renderNotification, mailSettings } from "../../models/notifications/render";
import { resolveRecipient } from "../../models/notifications/recipients";

let seq = 0;
const freshIp = () => `10.77.${Math.floor(++seq / 250) % 250}.${seq % 250}`;
const freshEmail = (tag: string) => `${tag}-${process.pid}-${++seq}-${Date.now()}@reg.example`;
const PASSWORD = "a long enough password";

for (const backend of backends) {
  describe(`registration on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
    });

    const counts = async () => {
      const [row] = await t.db
        .select({ people: sql<number>`(select count(*)::int from people)`, accounts: sql<number>`(select count(*)::int from accounts)` })
        .from(sql`(select 1) x`);
      return row!;
    };
    const mailsTo = (personId: number) => t.db.select({ kind: notifications.kind }).from(notifications).where(eq(notifications.personId, personId));

    it("a new address gets an account (usable at once) and a welcome mail", async () => {
      const email = freshEmail("new");
      await expect(requestRegistration(t.db, { stationId, fullName: "新居民", email, password: PASSWORD, ip: freshIp() })).resolves.toEqual({
        answer: "email",
      });
      const [account] = await t.db.select().from(accounts).where(eq(accounts.email, email));
      expect(account).toBeDefined();
      expect(await mailsTo(account!.personId)).toEqual([{ kind: "account_welcome" }]);
      await expect(authenticate(t.db, { email, password: PASSWORD, ip: freshIp() })).resolves.toBe(account!.id);
    });

    it("a taken address gets the same answer, nothing new, its password unchanged, and its owner a mail", async () => {
      const owner = await makeAccount(t.db, stationId, ["resident"]);
      const before = await counts();
      const attempt = requestRegistration(t.db, {
        stationId,
        fullName: "冒名者",
        email: ` ${owner.email.toUpperCase()} `,
        password: PASSWORD,
        ip: freshIp(),
      });
      await expect(attempt).resolves.toEqual({ answer: "email" });
      expect(await counts()).toEqual(before);
      expect(await mailsTo(owner.personId)).toEqual([{ kind: "account_exists" }]);
      expect(await t.db.select().from(people).where(eq(people.fullName, "冒名者"))).toEqual([]);
      // The stranger's password opens nothing.
      await expect(authenticate(t.db, { email: owner.email, password: PASSWORD, ip: freshIp() })).rejects.toMatchObject({
        code: "invalid_credentials",
      });
    });

    it("both mails render for their reader, with no personal data in the subject", async () => {
      const owner = await makeAccount(t.db, stationId, ["resident"], "张阿姨");
      const email = freshEmail("render");
      await requestRegistration(t.db, { stationId, fullName: "李伯伯", email, password: PASSWORD, ip: freshIp() });
      await requestRegistration(t.db, { stationId, fullName: "李伯伯", email: owner.email, password: PASSWORD, ip: freshIp() });
      const [created] = await t.db.select().from(accounts).where(eq(accounts.email, email));
      const rows = await t.db
        .select()
        .from(notifications)
        .where(inArray(notifications.personId, [owner.personId, created!.personId]));
      expect(rows.map((r) => r.kind).sort()).toEqual(["account_exists", "account_welcome"]);
      const settings = mailSettings({ MAIL_FROM: "驿站 <no-reply@hearth.test>", PUBLIC_URL: "https://station.example", PORT: 3000 });
      for (const row of rows) {
        const decision = await resolveRecipient(t.db, { kind: row.kind, personId: row.personId, signupId: null });
        if (!decision.ok) throw new Error(decision.reason);
        const out = await renderNotification({ db: t.db, row, recipient: decision.recipient, settings });
        if (!("mail" in out)) throw new Error(JSON.stringify(out));
        expect(out.mail.subject).not.toMatch(/李伯伯|张阿姨|@/);
        expect(out.mail.text).toContain("https://station.example/login");
      }
    });

    it(`limits one address to ${LIMITS.registerAddress.points} registrations, refusing the next with nothing written`, async () => {
      const ip = freshIp();
      for (let i = 0; i < LIMITS.registerAddress.points; i++) {
        await requestRegistration(t.db, { stationId, fullName: `批量${i}`, email: freshEmail("bulk"), password: PASSWORD, ip });
      }
      const before = await counts();
      const email = freshEmail("bulk-last");
      await expect(requestRegistration(t.db, { stationId, fullName: "再来", email, password: PASSWORD, ip })).rejects.toBeInstanceOf(TooManyAttempts);
      expect(await counts()).toEqual(before);
      // Another address is not affected.
      await expect(requestRegistration(t.db, { stationId, fullName: "别处", email, password: PASSWORD, ip: freshIp() })).resolves.toEqual({
        answer: "email",
      });
    });

    it(`limits the mails one email or phone can be sent to ${LIMITS.registerTarget.points}, however many addresses ask`, async () => {
      const owner = await makeAccount(t.db, stationId, ["resident"]);
      for (let i = 0; i < LIMITS.registerTarget.points; i++) {
        await requestRegistration(t.db, { stationId, fullName: "骚扰", email: owner.email, password: PASSWORD, ip: freshIp() });
      }
      await expect(
        requestRegistration(t.db, { stationId, fullName: "骚扰", email: owner.email, password: PASSWORD, ip: freshIp() }),
      ).rejects.toBeInstanceOf(TooManyAttempts);
      expect(await mailsTo(owner.personId)).toHaveLength(LIMITS.registerTarget.points);
      const phone = `139${String(Date.now()).slice(-8)}`;
      for (let i = 0; i < LIMITS.registerTarget.points; i++) {
        await requestRegistration(t.db, { stationId, fullName: "同号", email: freshEmail("phone"), phone, password: PASSWORD, ip: freshIp() });
      }
      await expect(
        requestRegistration(t.db, { stationId, fullName: "同号", email: freshEmail("phone"), phone, password: PASSWORD, ip: freshIp() }),
      ).rejects.toBeInstanceOf(TooManyAttempts);
    });
  });
}
