// Personal information (ADR 22) over the real guard and models, on both databases: needs are
// kept only with the person's health_needs consent (pages, API, model), who may record which
// consent, withdrawal clearing the needs, corrections, the export's completeness against
// fixtures (own and staff's, API and downloads), and the access records of needs and topics.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { giveConsent as giveHouseholdConsent } from "../support/care-fixtures";
import { countRows, loadRoute as get, submitRoute as post } from "../support/routes-kit";
import { callApi } from "../support/api-requests";
import { createApiToken } from "../../models/api-tokens";
import { createPerson } from "../../models/people";
import { signUp } from "../../models/signups";
import { canActFor } from "../../models/permissions";
import { materialiseHours } from "../../models/consultations/hours-ledger";
import {
  accounts,
  auditLog,
  consultations,
  consultationServices,
  householdConsents,
  households,
  manualHours,
  notifications,
  people,
  personConsents,
  providerHours,
  sensitiveViews,
  skills,
  stations,
} from "../../models/db/schema";
import * as myConsents from "../../app/routes/account_.consents";
import * as myDetails from "../../app/routes/account_.details";
import * as myData from "../../app/routes/account_.data";
import * as myDataCsv from "../../app/routes/account_.data[.]csv";
import * as personConsentsPage from "../../app/routes/people.$id.consents";
import * as staffPerson from "../../app/routes/manage.people.$id";
import * as staffData from "../../app/routes/manage.people.$id_.data";
import * as attendees from "../../app/routes/manage.sessions.$id_.attendees";
import * as book from "../../app/routes/manage.sessions.$id_.book";

for (const backend of backends) {
  describe(`personal information on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let coordinator: Awaited<ReturnType<typeof makeActor>>;
    let staffApi = "";
    const needsOf = async (id: number) => (await t.db.select({ needs: people.needs }).from(people).where(eq(people.id, id)))[0]!.needs;
    const auditOf = (action: string, personId: number) =>
      t.db
        .select({ details: auditLog.details, actor: auditLog.actorAccountId })
        .from(auditLog)
        .where(and(eq(auditLog.action, action), eq(auditLog.targetType, "person"), eq(auditLog.targetId, personId)));

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"], "周协调");
      staffApi = (await createApiToken(t.db, { stationId, accountId: coordinator.accountId }, "desk")).token;
    });

    it("keeps needs only with the health_needs consent recorded: model, API and the booking page", async () => {
      const desk = { stationId, actorAccountId: coordinator.accountId };
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 5, daysAhead: 3 });
      const before = await countRows(t.db, ["people", "person_consents", "audit_log"]);
      await expect(createPerson(t.db, desk, { fullName: "无同意", needs: "轮椅" })).rejects.toMatchObject({ code: "needs_consent_required" });
      const refused = await callApi("api.v1.people", "POST", { token: staffApi, body: { fullName: "刘奶奶", needs: "轮椅" } });
      expect(refused.status).toBe(422);
      expect(refused.json.error.code).toBe("needs_consent_required");
      const form = { intent: "create", fullName: "来电的孙阿姨", phone: "", birthYear: "", needs: "助听器", needsConsent: "", partySize: "1" };
      const byPage = await post(book, `/manage/sessions/${sessionId}/book`, form, coordinator.token, { id: String(sessionId) });
      expect(byPage.status).toBe(422);
      expect(await countRows(t.db, ["people", "person_consents", "audit_log"])).toEqual(before);

      // Without needs no consent is asked; with the way it was given, both are kept in one go.
      const created = await callApi("api.v1.people", "POST", {
        token: staffApi,
        body: { fullName: "刘奶奶", needs: "轮椅", needsConsent: "in_person" },
      });
      expect(created.status, created.text).toBe(201);
      const id = created.json.id as number;
      expect(await needsOf(id)).toBe("轮椅");
      const [consent] = await t.db.select().from(personConsents).where(eq(personConsents.personId, id));
      expect(consent).toMatchObject({
        purpose: "health_needs",
        version: 1,
        method: "in_person",
        recordedBy: coordinator.personId,
        withdrawnAt: null,
      });
      const [given] = await auditOf("consent.give", id);
      expect(given!.details).toEqual({ purpose: "health_needs", version: 1, way: "in_person" });
      const booked = await post(book, `/manage/sessions/${sessionId}/book`, { ...form, needsConsent: "phone" }, coordinator.token, {
        id: String(sessionId),
      });
      expect(booked.status, JSON.stringify(booked.body)).toBe(200);
    });

    it("lets a person give consent online, then correct her needs; withdrawing deletes them", async () => {
      const me = await makeActor(t.db, stationId, ["resident"], "王秀兰");
      const consentsAt = "/account/consents";
      // Needs cannot be entered before the consent: refused in words, nothing kept.
      const [own] = await t.db.select({ email: people.email }).from(people).where(eq(people.id, me.personId));
      const details = { fullName: "王秀兰", phone: "13900002222", email: own!.email ?? "", birthYear: "1948", needs: "轮椅" };
      const early = await post(myDetails, "/account/details", details, me.token);
      expect(early.status).toBe(422);
      expect(await needsOf(me.personId)).toBeNull();
      // Only "online" is hers; "by phone" is for those who record it for her.
      expect((await post(myConsents, consentsAt, { intent: "give", purpose: "health_needs", way: "phone" }, me.token)).status).toBe(422);
      expect((await post(myConsents, consentsAt, { intent: "give", purpose: "health_needs", way: "online" }, me.token)).status).toBe(200);
      expect((await post(myConsents, consentsAt, { intent: "give", purpose: "health_needs", way: "online" }, me.token)).status).toBe(409);
      const saved = await post(myDetails, "/account/details", details, me.token);
      expect(saved.body).toMatchObject({ ok: true });
      const [row] = await t.db.select().from(people).where(eq(people.id, me.personId));
      expect(row).toMatchObject({ needs: "轮椅", phone: "13900002222", birthYear: 1948 });
      const [corrected] = await auditOf("person.correct", me.personId);
      // The fields' names, never their values.
      expect(corrected!.details).toEqual({ fields: ["phone", "birthYear", "needs"] });

      const shown = await get(myConsents, consentsAt, me.token);
      const states = (shown.body as Awaited<ReturnType<typeof myConsents.loader>>).consents;
      expect(states.find((c) => c.purpose === "health_needs")).toMatchObject({ inForce: true, canWithdraw: true });
      // caretaker_care is the household's word, taken by staff: not hers to give online.
      expect(states.find((c) => c.purpose === "caretaker_care")).toMatchObject({ inForce: false, canGive: false });

      expect((await post(myConsents, consentsAt, { intent: "withdraw", purpose: "health_needs", way: "online" }, me.token)).status).toBe(200);
      expect(await needsOf(me.personId)).toBeNull();
      const [withdrawn] = await auditOf("consent.withdraw", me.personId);
      expect(withdrawn!.details).toEqual({ purpose: "health_needs", way: "online", needsCleared: true });
      const again = await post(myDetails, "/account/details", details, me.token);
      expect(again.status).toBe(422);
    });

    it("lets staff and the consented caretaker record consents for a person, and nobody else", async () => {
      const carer = await makeActor(t.db, stationId, ["volunteer"], "林会员");
      const stranger = await makeActor(t.db, stationId, ["volunteer"]);
      const [home] = await t.db
        .insert(households)
        .values({ stationId, label: "富文路 20 号", caretakerId: carer.personId })
        .returning({ id: households.id });
      const [grandma] = await makePeople(t.db, stationId, 1, "陈奶奶");
      await t.db.update(people).set({ householdId: home!.id }).where(eq(people.id, grandma!));
      const path = `/people/${grandma}/consents`;
      const params = { id: String(grandma) };
      const mail = { intent: "give", purpose: "mail", way: "paper" };
      // Before the household agreed, the caretaker cannot act for her: the person is not found.
      expect((await post(personConsentsPage, path, mail, carer.token, params)).status).toBe(404);
      expect((await get(personConsentsPage, path, stranger.token, params)).status).toBe(404);
      // Staff take the household's word (caretaker_care), versioned, on the household's one record.
      expect(
        (await post(personConsentsPage, path, { intent: "give", purpose: "caretaker_care", way: "in_person" }, coordinator.token, params)).status,
      ).toBe(200);
      const [household] = await t.db.select().from(householdConsents).where(eq(householdConsents.householdId, home!.id));
      expect(household).toMatchObject({ caretakerId: carer.personId, method: "in_person", textVersion: 1, withdrawnAt: null });
      // Now she may record the mail consent (on paper) for her, but not give caretaker_care to herself.
      expect((await post(personConsentsPage, path, mail, carer.token, params)).status).toBe(200);
      const [row] = await t.db
        .select()
        .from(personConsents)
        .where(and(eq(personConsents.personId, grandma!), eq(personConsents.purpose, "mail")));
      expect(row).toMatchObject({ method: "paper", recordedBy: carer.personId });
      expect(
        (await post(personConsentsPage, path, { intent: "withdraw", purpose: "caretaker_care", way: "phone" }, carer.token, params)).status,
      ).toBe(403);
      // "Online" is the person's own way; staff say how she told them.
      expect(
        (await post(personConsentsPage, path, { intent: "give", purpose: "health_needs", way: "online" }, coordinator.token, params)).status,
      ).toBe(422);
      // Staff end the household's consent for her: the caretaker's access ends with it.
      const withdraw = { intent: "withdraw", purpose: "caretaker_care", way: "phone" };
      expect((await post(personConsentsPage, path, withdraw, coordinator.token, params)).status).toBe(200);
      expect(await canActFor(t.db, stationId, carer, grandma!)).toBe(false);
    });

    it("gives a person everything held about her, and staff the same without topics (audited); 404 elsewhere", async () => {
      const carer = await makeActor(t.db, stationId, ["volunteer"], "郑会员");
      const me = await makeActor(t.db, stationId, ["resident"], "黄丽华");
      const meApi = (await createApiToken(t.db, { stationId, accountId: me.accountId }, "phone")).token;
      const [home] = await t.db
        .insert(households)
        .values({ stationId, label: "富文路 30 号 黄家", address: "富文路 30 号", caretakerId: carer.personId })
        .returning({ id: households.id });
      await giveHouseholdConsent(t.db, stationId, home!.id, carer.personId);
      await t.db.update(people).set({ householdId: home!.id }).where(eq(people.id, me.personId));
      // The coordinator books for her (who booked is what she looks for), records needs with her consent.
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 5, daysAhead: 2, title: "八段锦" });
      await signUp(t.db, { stationId, actor: coordinator }, { sessionId, personId: me.personId, partySize: 1 });
      const scope = `/people/${me.personId}/consents`;
      await post(personConsentsPage, scope, { intent: "give", purpose: "health_needs", way: "in_person" }, coordinator.token, {
        id: String(me.personId),
      });
      await post(staffPerson, `/manage/people/${me.personId}`, { needs: "助听器" }, coordinator.token, { id: String(me.personId) });
      expect(await needsOf(me.personId)).toBe("助听器");
      await t.db.insert(manualHours).values({ stationId, personId: me.personId, workDate: "2026-11-02", minutes: 90, note: "上门探访" });
      const [skill] = await t.db
        .insert(skills)
        .values({ stationId, slug: "privacy-law", nameZh: "法律", nameEn: "Law" })
        .returning({ id: skills.id });
      const [service] = await t.db
        .insert(consultationServices)
        .values({ stationId, kind: "legal", nameZh: "法律援助", nameEn: "Legal aid", skillId: skill!.id, slotMinutes: 30 })
        .returning({ id: consultationServices.id });
      // A booking lies in a day of its provider's hours in the ledger (ADR 27).
      const day = DateTime.now().setZone("Asia/Shanghai").plus({ days: 3 }).startOf("day");
      const startsAt = day.set({ hour: 10 }).toJSDate();
      const [hours] = await t.db
        .insert(providerHours)
        .values({
          stationId,
          serviceId: service!.id,
          providerPersonId: carer.personId,
          weekday: day.weekday,
          startTime: "09:00",
          endTime: "12:00",
          location: "咨询室",
          fromDate: day.toISODate()!,
          untilDate: day.toISODate()!,
        })
        .returning({ id: providerHours.id });
      await materialiseHours(t.db, hours!.id, { fromDate: day.toISODate()!, toDate: day.toISODate()! }, true);
      await t.db.insert(consultations).values({
        stationId,
        serviceId: service!.id,
        providerPersonId: carer.personId,
        personId: me.personId,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 1_800_000),
        location: "咨询室",
        topic: "房屋继承",
      });
      await t.db.insert(notifications).values({
        stationId,
        kind: "signup_confirmed",
        dedupeKey: `privacy-test-${me.personId}`,
        personId: me.personId,
        dueAt: new Date(),
        expiresAt: new Date(Date.now() + 86_400_000),
        status: "sent",
        sentAt: new Date(),
        subject: "报名成功：八段锦",
      });
      // The coordinator opens the attendee list: her needs were seen, and that is recorded.
      expect((await get(attendees, `/manage/sessions/${sessionId}/attendees`, coordinator.token, { id: String(sessionId) })).status).toBe(200);

      const mine = await callApi("api.v1.me.export", "GET", { token: meApi });
      expect(mine.status, mine.text).toBe(200);
      const d = mine.json;
      expect(d.person).toMatchObject({ id: me.personId, fullName: "黄丽华", needs: "助听器" });
      expect(d.account).toMatchObject({ roles: ["resident"] });
      expect(d.household).toEqual({ label: "富文路 30 号 黄家", address: "富文路 30 号", landline: null, caretaker: "郑会员" });
      expect(d.bookings).toEqual([expect.objectContaining({ activity: "八段锦", status: "confirmed", bookedBy: "周协调" })]);
      expect(d.hours).toEqual([{ date: "2026-11-02", minutes: 90, note: "上门探访" }]);
      expect(d.consultations).toEqual([expect.objectContaining({ service: "法律援助", provider: "郑会员", topic: "房屋继承" })]);
      expect(d.mails).toEqual([expect.objectContaining({ subject: "报名成功：八段锦" })]);
      expect(d.consents).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ purpose: "health_needs", way: "in_person", recordedBy: "周协调" }),
          expect.objectContaining({ purpose: "caretaker_care", way: "in_person" }),
        ]),
      );
      const actions = d.audit.map((a: { action: string; by: string }) => `${a.action} ${a.by}`);
      expect(actions).toEqual(expect.arrayContaining(["signup.create 周协调", "consent.give 周协调", "person.correct 周协调"]));
      expect(d.accessRecords).toEqual([expect.objectContaining({ viewer: "周协调", kind: "needs", page: "attendees" })]);

      // Staff produce it at the desk: the same sections, no topic, and the request is audited.
      const desk = await callApi("api.v1.people.$id.export", "GET", { token: staffApi, params: { id: String(me.personId) } });
      expect(desk.status, desk.text).toBe(200);
      expect(desk.json.consultations[0].topic).toBeNull();
      expect(desk.text).not.toContain("房屋继承");
      expect(await auditOf("person.data_export", me.personId)).toEqual([{ details: { format: "api" }, actor: coordinator.accountId }]);
      // A resident is refused; a person of another station is not found (and nothing is audited).
      expect((await callApi("api.v1.people.$id.export", "GET", { token: meApi, params: { id: String(me.personId) } })).status).toBe(403);
      const [elsewhere] = await t.db
        .insert(stations)
        .values({ slug: `other-${backend.name}`, nameZh: "别站", nameEn: "Other" })
        .returning({ id: stations.id });
      const [stranger] = await t.db.insert(people).values({ stationId: elsewhere!.id, fullName: "别站居民" }).returning({ id: people.id });
      const missing = await callApi("api.v1.people.$id.export", "GET", { token: staffApi, params: { id: String(stranger!.id) } });
      expect(missing.status).toBe(404);
      expect(await auditOf("person.data_export", stranger!.id)).toEqual([]);

      // The page and the CSV bundle say the same in words.
      const page = await get(myData, "/account/data", me.token);
      const sections = (page.body as Awaited<ReturnType<typeof myData.loader>>).sections;
      const bookings = sections.find((s) => s.key === "bookings")!;
      expect(bookings.rows[0]![bookings.columns.indexOf("报名人")]).toBe("周协调");
      const csv = await get(myDataCsv, "/account/data.csv", me.token);
      const text = csv.body as string;
      expect(csv.status).toBe(200);
      for (const s of sections) expect(text).toContain(`# ${s.title}`);
      expect(text).toContain("周协调");
      expect(text).toContain("房屋继承");
      const one = (await get(myDataCsv, "/account/data.csv?section=mails", me.token)).body as string;
      expect(one.replace("\uFEFF", "").split("\r\n")[0]).toBe("邮件标题,发送时间");
      // The desk's page of her data writes its own audit row.
      expect((await get(staffData, `/manage/people/${me.personId}/data`, coordinator.token, { id: String(me.personId) })).status).toBe(200);
      expect(await auditOf("person.data_export", me.personId)).toHaveLength(2);
    });

    it("records each staff view of needs: one row per person shown, in one page view, and none for oneself", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 5 });
      const ids = await makePeople(t.db, stationId, 3, "名单");
      const desk = { stationId, actor: coordinator };
      for (const [i, id] of ids.entries()) {
        await signUp(t.db, desk, { sessionId, personId: id, partySize: 1 });
        if (i < 2) {
          await t.db.insert(personConsents).values({ stationId, personId: id, purpose: "health_needs", version: 1, method: "paper" });
          await t.db
            .update(people)
            .set({ needs: `需要${i}` })
            .where(eq(people.id, id));
        }
      }
      await signUp(t.db, desk, { sessionId, personId: coordinator.personId, partySize: 1 });
      await t.db.update(people).set({ needs: "自己" }).where(eq(people.id, coordinator.personId));
      const before = await countRows(t.db, ["sensitive_views"]);
      expect((await get(attendees, `/manage/sessions/${sessionId}/attendees`, coordinator.token, { id: String(sessionId) })).status).toBe(200);
      const rows = await t.db.select().from(sensitiveViews).where(eq(sensitiveViews.page, "attendees"));
      const mine = rows.filter((r) => ids.includes(r.personId) || r.personId === coordinator.personId);
      expect(mine.map((r) => r.personId).sort()).toEqual([ids[0], ids[1]].sort());
      expect(mine.every((r) => r.viewerAccountId === coordinator.accountId && r.kind === "needs")).toBe(true);
      expect((await countRows(t.db, ["sensitive_views"])).sensitive_views).toBe(before.sensitive_views! + 2);
      // The staff person page: one row for the person whose needs it shows.
      expect((await get(staffPerson, `/manage/people/${ids[0]}`, coordinator.token, { id: String(ids[0]) })).status).toBe(200);
      expect(
        await t.db
          .select()
          .from(sensitiveViews)
          .where(and(eq(sensitiveViews.page, "person"), eq(sensitiveViews.personId, ids[0]!))),
      ).toHaveLength(1);
      // Staff may not rewrite the details of someone with an account, only her needs.
      const resident = await makeActor(t.db, stationId, ["resident"], "有账号的人");
      const [account] = await t.db.select().from(accounts).where(eq(accounts.personId, resident.personId));
      expect(account).toBeDefined();
      const rename = { fullName: "改名", phone: "", email: "", birthYear: "", needs: "" };
      const refused = await post(staffPerson, `/manage/people/${resident.personId}`, rename, coordinator.token, { id: String(resident.personId) });
      expect(refused.status).toBe(403);
    });
  });
}
