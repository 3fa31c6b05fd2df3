/**
 * Agreeing to a new version of a consent text in one step (ADR 22, addendum), through the
 * consent pages: the older consent stays in force until then; renewing ends it and records the
 * new one at the same instant, audited with both versions; the person does it online, staff and
 * the consented caretaker record it for her and say how; a renewal with nothing newer is 409.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makePeople } from "../support/signup-fixtures";
import { giveConsent as giveHouseholdConsent } from "../support/care-fixtures";
import { loadRoute as get, submitRoute as post } from "../support/routes-kit";
import { auditLog, households, people, personConsents } from "../../models/db/schema";
import { consentStates, giveConsent } from "../../models/privacy/consents";
import { consentSkip } from "../../models/privacy/mail-consent";
import { PURPOSE_TEXTS, type Purpose, type PurposeText } from "../../models/privacy/purposes";
import * as myConsents from "../../app/routes/account_.consents";
import * as personConsentsPage from "../../app/routes/people.$id.consents";

/**
 * A new wording of `purpose`, appended as a later release appends one to purposes.ts (its lists
 * are append-only); taken away again after the test so the others see the texts as shipped.
 */
const appended: { texts: PurposeText[]; text: PurposeText }[] = [];
function appendVersion(purpose: Purpose) {
  const texts = PURPOSE_TEXTS[purpose] as PurposeText[];
  const text = { version: texts.at(-1)!.version + 1, zh: `${texts.at(-1)!.zh}（新版）`, en: `${texts.at(-1)!.en} (revised)` };
  texts.push(text);
  appended.push({ texts, text });
  return text.version;
}
afterEach(() => {
  for (const { texts, text } of appended.splice(0)) texts.splice(texts.indexOf(text), 1);
});

for (const backend of backends) {
  describe(`agreeing to a new consent text on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let coordinator: Awaited<ReturnType<typeof makeActor>>;
    const rowsOf = (personId: number, purpose: Purpose) =>
      t.db
        .select({
          version: personConsents.version,
          method: personConsents.method,
          recordedBy: personConsents.recordedBy,
          givenAt: personConsents.givenAt,
          withdrawnAt: personConsents.withdrawnAt,
          withdrawMethod: personConsents.withdrawMethod,
        })
        .from(personConsents)
        .where(and(eq(personConsents.personId, personId), eq(personConsents.purpose, purpose)))
        .orderBy(asc(personConsents.id));

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员陈");
    });

    it("the person agrees online: the old consent stays in force until then, and is ended by the new one in one step", async () => {
      const me = await makeActor(t.db, stationId, ["resident"], "黄丽华");
      await giveConsent(t.db, { stationId, actor: me }, me.personId, "mail", "online");
      const v2 = appendVersion("mail");

      // Asked again, still in force: the mail goes on.
      const shown = await get(myConsents, "/account/consents", me.token);
      const mail = (shown.body as Awaited<ReturnType<typeof myConsents.loader>>).consents.find((c) => c.purpose === "mail")!;
      expect(mail).toMatchObject({ inForce: true, outdated: true, canRenew: true });
      expect(mail.text).toContain("（新版）");
      expect(await consentSkip(t.db, { kind: "signup_confirmed", subjectId: me.personId, recipientId: me.personId })).toBeNull();

      const renew = { intent: "renew", purpose: "mail", way: "online" };
      expect((await post(myConsents, "/account/consents", renew, me.token)).status).toBe(200);
      const rows = await rowsOf(me.personId, "mail");
      expect(rows).toEqual([
        expect.objectContaining({ version: 1, withdrawMethod: "online" }),
        expect.objectContaining({ version: v2, method: "online", recordedBy: me.personId, withdrawnAt: null }),
      ]);
      expect(rows[0]!.withdrawnAt).toEqual(rows[1]!.givenAt);
      const [state] = (await consentStates(t.db, stationId, me.personId)).filter((s) => s.purpose === "mail");
      expect(state).toMatchObject({ inForce: true, version: v2, currentVersion: v2 });
      const audit = await t.db
        .select({ details: auditLog.details, actor: auditLog.actorAccountId })
        .from(auditLog)
        .where(and(eq(auditLog.action, "consent.renew"), eq(auditLog.targetId, me.personId)));
      expect(audit).toEqual([{ details: { purpose: "mail", from: 1, version: v2, way: "online" }, actor: me.accountId }]);

      // Nothing newer to agree to: refused, nothing changed.
      expect((await post(myConsents, "/account/consents", renew, me.token)).status).toBe(409);
      expect(await rowsOf(me.personId, "mail")).toHaveLength(2);
      // Online is her own way only; she cannot say "by phone" for herself.
      expect((await post(myConsents, "/account/consents", { ...renew, way: "phone" }, me.token)).status).toBe(422);
    });

    it("a consent withdrawn, or never given, is not renewed (agree instead)", async () => {
      const me = await makeActor(t.db, stationId, ["resident"], "周秀兰");
      appendVersion("booking_reminders");
      const renew = { intent: "renew", purpose: "booking_reminders", way: "online" };
      expect((await post(myConsents, "/account/consents", renew, me.token)).status).toBe(409);
      expect(await rowsOf(me.personId, "booking_reminders")).toEqual([]);
    });

    it("staff record it for a person, saying how; the consented caretaker too; her needs stay", async () => {
      const carer = await makeActor(t.db, stationId, ["volunteer"], "林会员");
      const [home] = await t.db
        .insert(households)
        .values({ stationId, label: "富文路 21 号", caretakerId: carer.personId })
        .returning({ id: households.id });
      await giveHouseholdConsent(t.db, stationId, home!.id, carer.personId);
      const [grandma] = await makePeople(t.db, stationId, 1, "陈奶奶");
      await t.db.update(people).set({ householdId: home!.id }).where(eq(people.id, grandma!));
      await giveConsent(t.db, { stationId, actor: coordinator }, grandma!, "health_needs", "paper");
      await giveConsent(t.db, { stationId, actor: coordinator }, grandma!, "mail", "paper");
      await t.db.update(people).set({ needs: "轮椅" }).where(eq(people.id, grandma!));
      const path = `/people/${grandma}/consents`;
      const params = { id: String(grandma) };
      const v2 = appendVersion("health_needs");
      appendVersion("mail");

      // Staff may not claim she did it online.
      expect(
        (await post(personConsentsPage, path, { intent: "renew", purpose: "health_needs", way: "online" }, coordinator.token, params)).status,
      ).toBe(422);
      expect(
        (await post(personConsentsPage, path, { intent: "renew", purpose: "health_needs", way: "phone" }, coordinator.token, params)).status,
      ).toBe(200);
      expect(await rowsOf(grandma!, "health_needs")).toEqual([
        expect.objectContaining({ version: 1, withdrawMethod: "phone" }),
        expect.objectContaining({ version: v2, method: "phone", recordedBy: coordinator.personId, withdrawnAt: null }),
      ]);
      const [row] = await t.db.select({ needs: people.needs }).from(people).where(eq(people.id, grandma!));
      expect(row!.needs).toBe("轮椅");

      // The caretaker the household agreed to records the mail one, in person.
      expect((await post(personConsentsPage, path, { intent: "renew", purpose: "mail", way: "in_person" }, carer.token, params)).status).toBe(200);
      expect((await rowsOf(grandma!, "mail")).at(-1)).toMatchObject({ method: "in_person", recordedBy: carer.personId, withdrawnAt: null });

      // A stranger cannot: the person is not found.
      const stranger = await makeActor(t.db, stationId, ["volunteer"], "路人");
      expect((await post(personConsentsPage, path, { intent: "renew", purpose: "mail", way: "in_person" }, stranger.token, params)).status).toBe(404);
    });
  });
}
