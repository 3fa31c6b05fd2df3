import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { ZONE, makeActor, makePeople } from "../support/signup-fixtures";
import { makeProvider, makeService } from "../support/consultation-fixtures";
import type { ConsultationService } from "../../models/consultations/services";
import { addProviderHours, changeProviderDay, endProviderHours } from "../../models/consultations/hours";
import { bookConsultation, cancelConsultation } from "../../models/consultations/bookings";
import { expireHolds, joinWaitlist, leaveWaitlist } from "../../models/consultations/waitlist";
import { acceptOffer, declineOffer } from "../../models/consultations/offers";
import { offerCallList, offerReachedBy } from "../../models/reach/offer-calls";
import { consultations, consultationWaitlist, households, notifications, people, personConsents } from "../../models/db/schema";
import { mailSettings, renderNotification } from "../../models/notifications/render";
import { resolveRecipient } from "../../models/notifications/recipients";
import { refusal } from "../support/refusal";
import type { Actor } from "../../models/permissions";
import { makeApiUser } from "../support/api-fixtures";
import { callApi } from "../support/api-requests";
import { getRequest } from "../support/requests";
import { callSafely, type Handler } from "../support/routes-kit";
import { giveConsent } from "../support/care-fixtures";
import * as manageCalls from "../../app/routes/manage.calls";
import * as careCalls from "../../app/routes/care_.calls";

/**
 * Holds (ADR 26, addendum): a hold is its person's commitment in the ledger; a change of hours
 * lets the holds it removes go, the person keeping their place (told if the offer was mailed);
 * an offer the mail cannot reach is held and put on the call list, and running out does not end
 * the entry; whoever booked a consultation cancelled by a change of hours is told too.
 */

const HOUR = 3_600_000;

for (const backend of backends) {
  describe(`held consultation slots on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll }, { poolSize: 4 });
    let stationId = 0;
    let coordinator: Actor & { token: string };
    let counsellor: Actor;
    let lawyer: Actor;
    let counselling: ConsultationService;
    let legal: ConsultationService;
    const settings = mailSettings({ MAIL_FROM: "驿站 <no-reply@hearth.test>", PUBLIC_URL: "https://station.example", PORT: 3000 });
    const ctx = (actor: Actor, now?: Date) => ({ stationId, actor, now });
    const dayAhead = (n: number) => DateTime.now().setZone(ZONE).plus({ days: n }).startOf("day");
    const at = (day: DateTime, time: string) => DateTime.fromISO(`${day.toISODate()}T${time}`, { zone: ZONE }).toJSDate();
    const entryOf = async (personId: number, serviceId: number) =>
      (
        await t.db
          .select()
          .from(consultationWaitlist)
          .where(and(eq(consultationWaitlist.personId, personId), eq(consultationWaitlist.serviceId, serviceId)))
      ).sort((a, b) => b.id - a.id)[0];
    const heldFor = (personId: number) =>
      t.db
        .select({ id: consultations.id, serviceId: consultations.serviceId, startsAt: consultations.startsAt })
        .from(consultations)
        .where(and(eq(consultations.personId, personId), eq(consultations.status, "held")));
    const ledgerOf = async (consultationId: number) =>
      (
        await t.db.execute<{ person_id: number; kind: string }>(
          sql`SELECT person_id, kind::text AS kind FROM commitments WHERE consultation_id = ${consultationId} ORDER BY kind`,
        )
      ).rows.map((r) => `${r.kind}:${Number(r.person_id)}`);
    /** A booking of the slot, cancelled: the slot is freed and offered to the first in line. */
    const free = async (service: ConsultationService, startsAt: Date) => {
      const [holder] = await makePeople(t.db, stationId, 1, "先约");
      const booked = await bookConsultation(t.db, ctx(coordinator), { serviceId: service.id, startsAt, personId: holder! });
      await cancelConsultation(t.db, ctx(coordinator), booked.id);
    };
    const withAddress = async (name: string) => {
      const [id] = await makePeople(t.db, stationId, 1, name);
      await t.db
        .update(people)
        .set({ email: `${name}-${id}@mail.example` })
        .where(eq(people.id, id!));
      return id!;
    };
    const hoursOn = (day: DateTime, service: ConsultationService, provider: Actor) => ({
      serviceId: service.id,
      providerPersonId: provider.personId,
      weekday: day.weekday,
      startTime: "09:00",
      endTime: "12:00",
      location: "谈话室",
      fromDate: DateTime.now().setZone(ZONE).toISODate()!,
    });

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      const admin = await makeActor(t.db, stationId, ["admin"], "管理员");
      coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员");
      const base = { slotMinutes: 60, bookAheadDays: 60, holdMinutes: 120 };
      const talk = await makeProvider(t.db, stationId, "陈老师", { nameZh: "心理" });
      const law = await makeProvider(t.db, stationId, "李律师", { nameZh: "法律" });
      counsellor = talk.provider;
      lawyer = law.provider;
      counselling = await makeService(t.db, stationId, admin, talk.skillId, {
        kind: "counselling",
        nameZh: "心理咨询",
        nameEn: "Counselling",
        ...base,
      });
      legal = await makeService(t.db, stationId, admin, law.skillId, base);
    });

    it("holds the person's time in the ledger: no second overlapping hold, no booking over it; declining gives it back, accepting keeps it as the booking's", async () => {
      const day = dayAhead(3);
      await addProviderHours(t.db, ctx(counsellor), hoursOn(day, counselling, counsellor));
      await addProviderHours(t.db, ctx(lawyer), hoursOn(day, legal, lawyer));
      const both = await withAddress("两头等");
      const next = await withAddress("排后面");
      for (const service of [counselling, legal]) await joinWaitlist(t.db, ctx(coordinator), { serviceId: service.id, personId: both });
      await joinWaitlist(t.db, ctx(coordinator), { serviceId: legal.id, personId: next });

      await free(counselling, at(day, "09:00"));
      const [hold] = await heldFor(both);
      expect(await ledgerOf(hold!.id)).toEqual([`consultation:${both}`]);
      // The same hour of the other service goes past them, to the next in line.
      await free(legal, at(day, "09:00"));
      expect((await heldFor(both)).map((h) => h.serviceId)).toEqual([counselling.id]);
      expect((await heldFor(next)).map((h) => h.serviceId)).toEqual([legal.id]);
      // Nor can they be booked over it.
      const clash = await refusal(bookConsultation(t.db, ctx(coordinator), { serviceId: legal.id, startsAt: at(day, "09:00"), personId: both }));
      expect(clash.code).toMatch(/person_conflict|consultation_slot_unavailable/);

      await declineOffer(t.db, ctx(coordinator), hold!.id);
      expect(await ledgerOf(hold!.id)).toEqual([]);
      const [legalHold] = await heldFor(next);
      await acceptOffer(t.db, ctx(coordinator), legalHold!.id);
      expect(await ledgerOf(legalHold!.id)).toEqual([`consultation:${next}`, `consulting:${lawyer.personId}`].sort());
      for (const service of [counselling, legal]) await leaveWaitlist(t.db, ctx(coordinator), { serviceId: service.id, personId: both });
    });

    it("lets holds go when a day off or ended hours remove their slots: the person keeps their place and hears of it if the offer was mailed", async () => {
      const day = dayAhead(4);
      const later = day.plus({ weeks: 1 });
      const { id: hoursId } = await addProviderHours(t.db, ctx(counsellor), hoursOn(day, counselling, counsellor));
      const mailed = await withAddress("已通知");
      const unmailed = await withAddress("未通知");
      const only = (d: DateTime) => ({ fromDate: d.toISODate()!, toDate: d.toISODate()! });
      await joinWaitlist(t.db, ctx(coordinator), { serviceId: counselling.id, personId: mailed, ...only(day) });
      await joinWaitlist(t.db, ctx(coordinator), { serviceId: counselling.id, personId: unmailed, ...only(later) });
      await free(counselling, at(day, "10:00"));
      await free(counselling, at(later, "10:00"));
      const [first] = await heldFor(mailed);
      const [second] = await heldFor(unmailed);
      expect(first!.startsAt).toEqual(at(day, "10:00"));
      // The first offer went out; the second is still waiting to be sent.
      await t.db
        .update(notifications)
        .set({ status: "sent" })
        .where(and(eq(notifications.consultationId, first!.id), eq(notifications.kind, "consultation_offer")));

      await changeProviderDay(t.db, ctx(counsellor), {
        serviceId: counselling.id,
        providerPersonId: counsellor.personId,
        localDate: day.toISODate()!,
        kind: "off",
      });
      expect(await heldFor(mailed)).toEqual([]);
      expect(await ledgerOf(first!.id)).toEqual([]);
      expect((await entryOf(mailed, counselling.id))!.status).toBe("waiting");
      const [told] = await t.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.consultationId, first!.id), eq(notifications.kind, "consultation_offer_withdrawn")));
      expect(told).toMatchObject({ personId: mailed, status: "pending" });
      const decision = await resolveRecipient(t.db, { kind: told!.kind, personId: told!.personId, signupId: null });
      if (!decision.ok) throw new Error(decision.reason);
      for (const locale of ["zh-CN", "en"] as const) {
        const out = await renderNotification({ db: t.db, row: told!, recipient: { ...decision.recipient, locale }, settings });
        if (!("mail" in out)) throw new Error(JSON.stringify(out));
        expect(out.mail.subject).toMatch(locale === "en" ? /^Consultation slot withdrawn · / : /^咨询空位已取消 · \d+月\d+日/);
        expect(`${out.mail.subject}${out.mail.text}`).not.toMatch(/心理|Counsel/);
        expect(out.mail.text).toContain("谈话室");
      }
      // The second hold stands until the hours end before its day; its offer was never sent: no mail.
      expect((await heldFor(unmailed)).map((h) => h.id)).toEqual([second!.id]);
      await endProviderHours(t.db, ctx(counsellor), hoursId, day.plus({ days: 1 }).toISODate());
      expect(await heldFor(unmailed)).toEqual([]);
      expect((await entryOf(unmailed, counselling.id))!.status).toBe("waiting");
      const mails = await t.db
        .select({ kind: notifications.kind, status: notifications.status })
        .from(notifications)
        .where(eq(notifications.consultationId, second!.id));
      expect(mails).toEqual([{ kind: "consultation_offer", status: "cancelled" }]);
    });

    it("holds an offer the mail cannot reach, lists it for a phone call, and keeps the entry when it runs out", async () => {
      const day = dayAhead(5);
      await addProviderHours(t.db, ctx(counsellor), hoursOn(day, counselling, counsellor));
      const [noAddress] = await makePeople(t.db, stationId, 1, "没邮箱");
      const withdrawn = await withAddress("撤同意");
      await t.db.insert(personConsents).values({
        stationId,
        personId: withdrawn,
        purpose: "mail",
        version: 1,
        method: "paper",
        givenAt: new Date(Date.now() - HOUR),
        withdrawnAt: new Date(),
        withdrawMethod: "paper",
      });
      const optedOut = await withAddress("不收候补");
      await t.db
        .update(people)
        .set({ mailOptOuts: ["consultation_offer"] })
        .where(eq(people.id, optedOut));
      const reachable = await withAddress("能收信");
      // What the waitlist page promises each of them: a mail only where one can arrive.
      expect(await Promise.all([noAddress!, withdrawn, optedOut, reachable].map((p) => offerReachedBy(t.db, p)))).toEqual([
        "phone",
        "phone",
        "phone",
        "mail",
      ]);
      for (const personId of [noAddress!, withdrawn, optedOut, reachable])
        await joinWaitlist(t.db, ctx(coordinator), { serviceId: counselling.id, personId });
      for (const time of ["09:00", "10:00", "11:00"]) await free(counselling, at(day, time));
      await free(counselling, at(day.plus({ weeks: 1 }), "09:00"));

      const calls = await offerCallList(t.db, { stationId, timeZone: ZONE, actor: coordinator }, new Date());
      expect(calls.map((c) => [c.personId, c.reason])).toEqual([
        [noAddress, "no_address"],
        [withdrawn, "no_mail_consent"],
        [optedOut, "opted_out"],
      ]);
      expect(calls.every((c) => c.providerName === "陈老师" && c.location === "谈话室")).toBe(true);
      // Not for a resident, who has nobody in their care.
      const resident = await makeActor(t.db, stationId, ["resident"], "居民");
      expect(await offerCallList(t.db, { stationId, timeZone: ZONE, actor: resident }, new Date())).toEqual([]);
      // The pages: staff's call list shows all three; a caretaker's shows the one in her care, a
      // volunteer with nobody in her care none.
      const offersOn = async (page: { loader: unknown }, url: string, token: string) =>
        ((await callSafely(page.loader as Handler, await getRequest(url, { token }))).body as { offers: { name: string; heldUntil: string }[] })
          .offers;
      expect((await offersOn(manageCalls, "/manage/calls", coordinator.token)).map((o) => o.name)).toEqual(["没邮箱1", "撤同意1", "不收候补1"]);
      const carer = await makeActor(t.db, stationId, ["volunteer"], "照看人");
      const [home] = await t.db.insert(households).values({ stationId, label: "没邮箱的家", caretakerId: carer.personId }).returning();
      await t.db.update(people).set({ householdId: home!.id }).where(eq(people.id, noAddress!));
      await giveConsent(t.db, stationId, home!.id, carer.personId);
      const mine = await offersOn(careCalls, "/care/calls", carer.token);
      expect(mine.map((o) => o.name)).toEqual(["没邮箱1"]);
      expect(mine[0]!.heldUntil).toMatch(/月.*日.* \d\d:\d\d$/);
      const bystander = await makeActor(t.db, stationId, ["volunteer"], "旁人");
      expect(await offersOn(careCalls, "/care/calls", bystander.token)).toEqual([]);

      // All four run out: those the mail reaches leave the list, the others wait on in their place.
      expect(await expireHolds(t.db, new Date(Date.now() + 3 * HOUR))).toBeGreaterThanOrEqual(4);
      expect((await entryOf(reachable, counselling.id))!.status).toBe("lapsed");
      // (Each waits on, and may at once be held another of the freed slots: on the call list again.)
      for (const personId of [noAddress!, withdrawn, optedOut])
        expect(["waiting", "offered"]).toContain((await entryOf(personId, counselling.id))!.status);
    });

    it("tells whoever booked a consultation for the client when a change of hours cancels it, never naming the service", async () => {
      const day = dayAhead(12);
      await addProviderHours(t.db, ctx(lawyer), hoursOn(day, legal, lawyer));
      const daughter = await makeActor(t.db, stationId, ["resident"], "女儿");
      const [mother] = await makePeople(t.db, stationId, 1, "母亲");
      const booked = await bookConsultation(t.db, ctx(coordinator), { serviceId: legal.id, startsAt: at(day, "11:00"), personId: mother! });
      // As if the daughter (a caretaker) had booked it.
      await t.db.update(consultations).set({ bookedByAccountId: daughter.accountId }).where(eq(consultations.id, booked.id));
      const dayOff = { serviceId: legal.id, providerPersonId: lawyer.personId, localDate: day.toISODate()!, kind: "off" as const };
      await changeProviderDay(t.db, ctx(lawyer), dayOff, { cancel: [booked.id] });
      const mails = await t.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.consultationId, booked.id), eq(notifications.kind, "consultation_cancelled")));
      expect(mails.map((m) => [m.personId, (m.payload as { role: string }).role]).sort()).toEqual(
        [
          [mother, "client"],
          [lawyer.personId, "provider"],
          [daughter.personId, "booker"],
        ].sort(),
      );
      const mail = mails.find((m) => m.personId === daughter.personId)!;
      const decision = await resolveRecipient(t.db, { kind: mail.kind, personId: mail.personId, signupId: null });
      if (!decision.ok) throw new Error(decision.reason);
      for (const locale of ["zh-CN", "en"] as const) {
        const out = await renderNotification({ db: t.db, row: mail, recipient: { ...decision.recipient, locale }, settings });
        if (!("mail" in out)) throw new Error(JSON.stringify(out));
        expect(out.mail.subject).toMatch(locale === "en" ? /^Consultation cancelled · / : /^咨询预约已取消 · /);
        expect(`${out.mail.subject}${out.mail.text}`).not.toMatch(/法律|Legal/);
        expect(out.mail.text).toContain("母亲1");
        expect(out.mail.text).toContain("李律师");
      }
    });

    it("GET /api/v1/me/consultation-waitlist: one's own entries with the held slot and until when; nobody else's", async () => {
      const day = dayAhead(6);
      await addProviderHours(t.db, ctx(lawyer), hoursOn(day, legal, lawyer));
      const me = await makeApiUser(t.db, stationId, ["resident"], "候补者");
      const other = await makeApiUser(t.db, stationId, ["resident"], "别人");
      const scope = ctx({ accountId: me.accountId, personId: me.personId, roles: me.roles });
      await joinWaitlist(t.db, scope, { serviceId: legal.id, personId: me.personId, fromDate: day.toISODate()!, toDate: day.toISODate()! });
      await free(legal, at(day, "10:00"));
      const [hold] = await heldFor(me.personId);
      const mine = await callApi("api.v1.me.consultation-waitlist", "GET", { token: me.token });
      expect(mine.status).toBe(200);
      expect(mine.json).toMatchObject({
        entries: [
          {
            serviceId: legal.id,
            serviceNameZh: "法律援助",
            serviceNameEn: "Legal aid",
            personId: me.personId,
            fromDate: day.toISODate(),
            toDate: day.toISODate(),
            status: "offered",
            offer: {
              id: hold!.id,
              startsAt: DateTime.fromJSDate(at(day, "10:00"), { zone: ZONE }).toISO({ suppressMilliseconds: true }),
              endsAt: DateTime.fromJSDate(at(day, "11:00"), { zone: ZONE }).toISO({ suppressMilliseconds: true }),
              heldUntil: expect.any(String),
            },
          },
        ],
      });
      expect(await callApi("api.v1.me.consultation-waitlist", "GET", { token: other.token })).toMatchObject({ status: 200, json: { entries: [] } });
      expect((await callApi("api.v1.me.consultation-waitlist", "GET", {})).status).toBe(401);
    });
  });
}
